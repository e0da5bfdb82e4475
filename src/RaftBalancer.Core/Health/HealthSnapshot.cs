namespace RaftBalancer.Core.Health;

/// <summary>An immutable picture of one backend's health as seen by one node, published atomically by <see cref="HealthStateMachine"/>.</summary>
/// <param name="State">The current state.</param>
/// <param name="Since">When the machine entered <paramref name="State"/>.</param>
/// <param name="Reason">A short explanation of the last transition, for operators.</param>
/// <param name="RateLimitedUntil">While <see cref="HealthState.RateLimited"/>: when the backend may be used again.</param>
/// <param name="ConsecutiveFailures">The number of failed probes since the last successful or rate-limited one.</param>
/// <param name="ConsecutiveSuccesses">The number of successful probes since the last failed or rate-limited one.</param>
/// <param name="LastProbe">The most recent probe result, if any.</param>
public sealed record HealthSnapshot(
    HealthState State,
    DateTimeOffset Since,
    string Reason,
    DateTimeOffset? RateLimitedUntil,
    int ConsecutiveFailures,
    int ConsecutiveSuccesses,
    ProbeResult? LastProbe);
