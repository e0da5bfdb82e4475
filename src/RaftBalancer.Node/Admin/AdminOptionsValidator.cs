using System.Globalization;
using RaftBalancer.State;

namespace RaftBalancer.Node.Admin;

/// <summary>Checks <see cref="AdminOptions"/> at start-up, naming every bad field.</summary>
internal sealed class AdminOptionsValidator : CollectingOptionsValidator<AdminOptions>
{
    /// <inheritdoc/>
    protected override void Collect(AdminOptions options, List<string> errors)
    {
        const string S = AdminOptions.SectionName + ":";
        var token = options.Token ?? string.Empty;
        if (token.Length > 0 && token.Length < AdminOptions.MinTokenLength)
        {
            errors.Add(S + "Token (or " + AdminOptions.TokenEnvironmentVariable + ") must be at least "
                + AdminOptions.MinTokenLength.ToString(CultureInfo.InvariantCulture) + " characters (got "
                + token.Length.ToString(CultureInfo.InvariantCulture) + ").");
        }

        if (token.Any(c => c <= ' ' || c > '~'))
        {
            errors.Add(S + "Token (or " + AdminOptions.TokenEnvironmentVariable + ") must be printable ASCII without spaces (it travels in the authorization header).");
        }

        if (options.RequireTokenForReads && token.Length == 0)
        {
            errors.Add(S + "RequireTokenForReads is true but no token is set; set " + S + "Token or " + AdminOptions.TokenEnvironmentVariable + ".");
        }

        if (options.ViewWaitTimeout <= TimeSpan.Zero)
        {
            errors.Add(S + "ViewWaitTimeout must be greater than zero.");
        }
    }
}
