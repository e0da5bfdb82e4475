using System.Globalization;

namespace RaftBalancer.Core.Health;

/// <summary>The result of one active health probe against one backend.</summary>
/// <param name="Outcome">The verdict: healthy, unhealthy or rate limited.</param>
/// <param name="StatusCode">The HTTP status the backend answered with, or <see langword="null"/> when no response arrived.</param>
/// <param name="Duration">How long the probe took, from sending the request to receiving the response headers (or giving up).</param>
/// <param name="RetryAfter">For <see cref="ProbeOutcome.RateLimited"/>: how long the backend asked us to stay away.</param>
/// <param name="Error">A short description of why no usable response arrived, e.g. "timeout after 2s" or "connection refused".</param>
public readonly record struct ProbeResult(
    ProbeOutcome Outcome,
    int? StatusCode,
    TimeSpan Duration,
    TimeSpan? RetryAfter,
    string? Error)
{
    /// <summary>Creates a healthy result for a 2xx answer.</summary>
    /// <param name="statusCode">The 2xx status.</param>
    /// <param name="duration">How long the probe took.</param>
    /// <returns>The result.</returns>
    public static ProbeResult Healthy(int statusCode, TimeSpan duration) =>
        new(ProbeOutcome.Healthy, statusCode, duration, null, null);

    /// <summary>Creates an unhealthy result for an unexpected status.</summary>
    /// <param name="statusCode">The status the backend answered with.</param>
    /// <param name="duration">How long the probe took.</param>
    /// <returns>The result.</returns>
    public static ProbeResult UnhealthyStatus(int statusCode, TimeSpan duration) =>
        new(ProbeOutcome.Unhealthy, statusCode, duration, null, null);

    /// <summary>Creates an unhealthy result for a probe that got no response (timeout, connection error).</summary>
    /// <param name="error">A short description of what went wrong.</param>
    /// <param name="duration">How long the probe took before giving up.</param>
    /// <returns>The result.</returns>
    public static ProbeResult Failed(string error, TimeSpan duration) =>
        new(ProbeOutcome.Unhealthy, null, duration, null, error);

    /// <summary>Creates a rate-limited result for a 429 answer.</summary>
    /// <param name="retryAfter">How long the backend asked us to stay away.</param>
    /// <param name="duration">How long the probe took.</param>
    /// <returns>The result.</returns>
    public static ProbeResult RateLimited(TimeSpan retryAfter, TimeSpan duration) =>
        new(ProbeOutcome.RateLimited, 429, duration, retryAfter, null);

    /// <summary>Describes the result for operators, e.g. "HTTP 500 in 12ms" or "timeout after 2s".</summary>
    /// <returns>A short, human-readable description.</returns>
    public string Describe()
    {
        var what = Error ?? (StatusCode is int status
            ? "HTTP " + status.ToString(CultureInfo.InvariantCulture)
            : Outcome.ToString());
        return what + " in " + DurationText.Format(Duration);
    }
}
