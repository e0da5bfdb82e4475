using System.Globalization;

namespace RaftBalancer.Core.Health;

/// <summary>Settings of the active health check (configuration section <c>HealthCheck</c>).</summary>
/// <remarks>
/// The class is mutable so configuration binding can fill it; consumers
/// (<see cref="HealthStateMachine"/>, <see cref="HttpHealthProber"/>) call
/// <see cref="ThrowIfInvalid"/> and copy the values they need when they are constructed,
/// so later mutation does not affect them.
/// </remarks>
public sealed class HealthCheckOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "HealthCheck";

    /// <summary>The path probed on every backend; must start with '/'. Default <c>/-/ready</c>.</summary>
    public string Endpoint { get; set; } = "/-/ready";

    /// <summary>The mean time between two probes of one backend. Default 5 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The maximum random deviation from <see cref="Interval"/>, either way; must be at least zero and
    /// less than <see cref="Interval"/>. <see langword="null"/> (the default) means 10% of <see cref="Interval"/>.
    /// </summary>
    public TimeSpan? Jitter { get; set; }

    /// <summary>How long a probe may take before it counts as failed; must be less than <see cref="Interval"/>. Default 2 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive failed probes that make a backend <see cref="HealthState.Unhealthy"/>. Default 3.</summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>Consecutive successful probes that make a backend <see cref="HealthState.Healthy"/>. Default 1.</summary>
    public int SuccessThreshold { get; set; } = 1;

    /// <summary>
    /// How long a backend stays <see cref="HealthState.RateLimited"/> after a 429 without a usable
    /// <c>Retry-After</c> header. <see langword="null"/> (the default) means <see cref="Interval"/>.
    /// </summary>
    public TimeSpan? DefaultRetryAfter { get; set; }

    /// <summary>The jitter in effect: <see cref="Jitter"/>, or 10% of <see cref="Interval"/> when it is not set.</summary>
    public TimeSpan EffectiveJitter => Jitter ?? Interval / 10;

    /// <summary>The default retry-after in effect: <see cref="DefaultRetryAfter"/>, or <see cref="Interval"/> when it is not set.</summary>
    public TimeSpan EffectiveDefaultRetryAfter => DefaultRetryAfter ?? Interval;

    /// <summary>Checks every setting and returns one message per problem, each naming the field.</summary>
    /// <returns>The errors; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();

        if (string.IsNullOrWhiteSpace(Endpoint))
        {
            errors.Add(Field(nameof(Endpoint)) + " is required and must start with '/'.");
        }
        else if (!Endpoint.StartsWith('/') || Endpoint.StartsWith("//", StringComparison.Ordinal))
        {
            errors.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{Field(nameof(Endpoint))} must be a path starting with a single '/' (got '{Endpoint}')."));
        }
        else if (Endpoint.Any(char.IsWhiteSpace) || Endpoint.Contains('#', StringComparison.Ordinal))
        {
            errors.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{Field(nameof(Endpoint))} must not contain whitespace or '#' (got '{Endpoint}')."));
        }

        var intervalValid = RequirePositive(errors, nameof(Interval), Interval);
        var timeoutValid = RequirePositive(errors, nameof(Timeout), Timeout);
        if (intervalValid && timeoutValid && Timeout >= Interval)
        {
            errors.Add(LessThanInterval(nameof(Timeout), Timeout));
        }

        if (Jitter is TimeSpan jitter)
        {
            if (jitter < TimeSpan.Zero)
            {
                errors.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Field(nameof(Jitter))} must not be negative (got {DurationText.Format(jitter)})."));
            }
            else if (intervalValid && jitter >= Interval)
            {
                errors.Add(LessThanInterval(nameof(Jitter), jitter));
            }
        }

        RequirePositive(errors, nameof(FailureThreshold), FailureThreshold);
        RequirePositive(errors, nameof(SuccessThreshold), SuccessThreshold);

        if (DefaultRetryAfter is TimeSpan retryAfter)
        {
            RequirePositive(errors, nameof(DefaultRetryAfter), retryAfter);
        }

        return errors;
    }

    /// <summary>Throws when <see cref="Validate"/> reports any error; the message lists every error.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public void ThrowIfInvalid() => OptionErrors.ThrowIfAny(SectionName, Validate());

    private static string Field(string name) => SectionName + ":" + name;

    private string LessThanInterval(string name, TimeSpan value) => string.Create(
        CultureInfo.InvariantCulture,
        $"{Field(name)} must be less than {Field(nameof(Interval))} (got {DurationText.Format(value)} ≥ {DurationText.Format(Interval)}).");

    private static bool RequirePositive(List<string> errors, string name, TimeSpan value)
    {
        if (value > TimeSpan.Zero)
        {
            return true;
        }

        errors.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"{Field(name)} must be greater than zero (got {DurationText.Format(value)})."));
        return false;
    }

    private static void RequirePositive(List<string> errors, string name, int value)
    {
        if (value <= 0)
        {
            errors.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{Field(name)} must be greater than zero (got {value})."));
        }
    }
}
