namespace RaftBalancer.Core.Backends;

/// <summary>Thrown when a backend definition or a set of them is invalid; carries every error found, not just the first.</summary>
public sealed class BackendValidationException : ArgumentException
{
    /// <summary>Creates the exception from the collected errors.</summary>
    /// <param name="errors">At least one error.</param>
    public BackendValidationException(IReadOnlyList<ValidationError> errors)
        : base(Format(errors), errors is { Count: > 0 } ? errors[0].Field : null)
    {
        Errors = errors;
    }

    /// <summary>Every error found, in input order.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    private static string Format(IReadOnlyList<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 1
            ? $"Invalid backend: {errors[0]}"
            : $"Invalid backends ({errors.Count} errors): {string.Join("; ", errors)}";
    }
}
