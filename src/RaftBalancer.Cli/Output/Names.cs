using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Cli.Output;

/// <summary>The stable lower-case names rbctl prints for the API's enums and values.</summary>
internal static class Names
{
    /// <summary>Names a consistency level as written on the command line.</summary>
    /// <param name="text">"local" or "linearizable".</param>
    /// <returns>The proto value.</returns>
    public static Consistency ParseConsistency(string? text) =>
        text == "linearizable" ? Consistency.Linearizable : Consistency.Local;

    /// <summary>Names a Raft role.</summary>
    /// <param name="role">The role.</param>
    /// <returns>leader, follower, candidate or unknown.</returns>
    public static string Of(RaftRole role) => role switch
    {
        RaftRole.Leader => "leader",
        RaftRole.Follower => "follower",
        RaftRole.Candidate => "candidate",
        _ => "unknown",
    };

    /// <summary>Names a health state.</summary>
    /// <param name="state">The state.</param>
    /// <returns>healthy, unhealthy, rate-limited or unknown.</returns>
    public static string Of(HealthState state) => state switch
    {
        HealthState.Healthy => "healthy",
        HealthState.Unhealthy => "unhealthy",
        HealthState.RateLimited => "rate-limited",
        _ => "unknown",
    };

    /// <summary>Names a verdict reason.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>routable, draining, zero-weight, rate-limited, unhealthy-majority, local-breaker-open, panic or unknown.</returns>
    public static string Of(VerdictReason reason) => reason switch
    {
        VerdictReason.Routable => "routable",
        VerdictReason.Draining => "draining",
        VerdictReason.ZeroWeight => "zero-weight",
        VerdictReason.RateLimited => "rate-limited",
        VerdictReason.UnhealthyMajority => "unhealthy-majority",
        VerdictReason.LocalBreakerOpen => "local-breaker-open",
        VerdictReason.Panic => "panic",
        _ => "unknown",
    };

    /// <summary>Names a breaker state.</summary>
    /// <param name="state">The state.</param>
    /// <returns>closed, open, half-open or unknown.</returns>
    public static string Of(BreakerState state) => state switch
    {
        BreakerState.Closed => "closed",
        BreakerState.Open => "open",
        BreakerState.HalfOpen => "half-open",
        _ => "unknown",
    };

    /// <summary>Formats a timestamp as RFC 3339 UTC with milliseconds.</summary>
    /// <param name="timestamp">The timestamp; null or unset prints as null.</param>
    /// <returns>The text, or null.</returns>
    public static string? Of(Timestamp? timestamp) =>
        timestamp is null ? null : timestamp.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Formats a number for a table.</summary>
    /// <param name="value">The value; negative means unknown.</param>
    /// <returns>The number, or "-" when unknown.</returns>
    public static string Count(long value) => value < 0 ? "-" : value.ToString(CultureInfo.InvariantCulture);
}
