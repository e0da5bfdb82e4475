using Microsoft.Extensions.Options;

namespace RaftBalancer.State;

/// <summary>An options validator that collects every error (each naming its field) instead of stopping at the first.</summary>
/// <typeparam name="TOptions">The options class.</typeparam>
public abstract class CollectingOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Collect(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Adds one message per bad field to <paramref name="errors"/>.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="errors">Where the errors go.</param>
    protected abstract void Collect(TOptions options, List<string> errors);
}
