using System.Globalization;
using RaftBalancer.Core.Health;

namespace RaftBalancer.Core.Breaking;

/// <summary>Settings of the per-backend circuit breaker (configuration section <c>CircuitBreaker</c>).</summary>
/// <remarks>
/// Mutable for configuration binding; <see cref="CircuitBreaker"/> validates and copies the values when it
/// is constructed.
/// </remarks>
public sealed class CircuitBreakerOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "CircuitBreaker";

    /// <summary>Consecutive failed requests that open a closed breaker. Default 5.</summary>
    public int MinRequestsToTrip { get; set; } = 5;

    /// <summary>How long an open breaker rejects traffic before admitting trial requests. Default 10 s.</summary>
    public TimeSpan OpenTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The maximum number of concurrent trial requests while half-open. Default 1.</summary>
    public int HalfOpenMaxRequests { get; set; } = 1;

    /// <summary>Successful trial requests that close a half-open breaker. Default 2.</summary>
    public int SuccessThreshold { get; set; } = 2;

    /// <summary>Checks every setting and returns one message per problem, each naming the field.</summary>
    /// <returns>The errors; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        RequirePositive(errors, nameof(MinRequestsToTrip), MinRequestsToTrip);
        if (OpenTimeout <= TimeSpan.Zero)
        {
            errors.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{SectionName}:{nameof(OpenTimeout)} must be greater than zero (got {DurationText.Format(OpenTimeout)})."));
        }

        RequirePositive(errors, nameof(HalfOpenMaxRequests), HalfOpenMaxRequests);
        RequirePositive(errors, nameof(SuccessThreshold), SuccessThreshold);
        return errors;
    }

    /// <summary>Throws when <see cref="Validate"/> reports any error; the message lists every error.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public void ThrowIfInvalid() => OptionErrors.ThrowIfAny(SectionName, Validate());

    private static void RequirePositive(List<string> errors, string name, int value)
    {
        if (value <= 0)
        {
            errors.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{SectionName}:{name} must be greater than zero (got {value})."));
        }
    }
}
