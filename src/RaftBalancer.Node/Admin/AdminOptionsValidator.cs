using System.Globalization;
using RaftBalancer.Node.Options;

namespace RaftBalancer.Node.Admin;

/// <summary>Checks <see cref="AdminOptions"/> at start-up (before anything starts), naming every bad field.</summary>
internal static class AdminOptionsValidator
{
    /// <summary>Collects every error in the admin settings: the inline token, the token file (loaded), TLS (loaded) and the admin URL's scheme.</summary>
    /// <param name="options">The bound options, the token already overridden by the environment.</param>
    /// <param name="node">The node's options (for <c>Node:AdminUrl</c>).</param>
    /// <returns>The errors; empty when valid.</returns>
    public static List<string> Collect(AdminOptions options, NodeOptions node)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(node);
        var errors = new List<string>();
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

        var hasFile = !string.IsNullOrWhiteSpace(options.TokenFile);
        if (hasFile)
        {
            errors.AddRange(AdminTokens.Validate(options.TokenFile));
        }

        if (options.RequireTokenForReads && token.Length == 0 && !hasFile)
        {
            errors.Add(S + "RequireTokenForReads is true but no token is set; set " + S + "Token, " + AdminOptions.TokenEnvironmentVariable + " or " + S + "TokenFile.");
        }

        if (options.ViewWaitTimeout <= TimeSpan.Zero)
        {
            errors.Add(S + "ViewWaitTimeout must be greater than zero.");
        }

        errors.AddRange(AdminCertificate.Validate(options.Tls));
        if (Uri.TryCreate(node.AdminUrl, UriKind.Absolute, out var admin))
        {
            if (admin.Scheme == Uri.UriSchemeHttps && !options.Tls.IsConfigured)
            {
                errors.Add("Node:AdminUrl is https but " + S + "Tls:CertificateFile and " + S + "Tls:KeyFile are not set.");
            }
            else if (admin.Scheme == Uri.UriSchemeHttp && options.Tls.IsConfigured)
            {
                errors.Add("Node:AdminUrl must be https when " + S + "Tls is set (was '" + node.AdminUrl + "').");
            }
        }

        return errors;
    }
}
