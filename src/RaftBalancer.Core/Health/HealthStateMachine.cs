using System.Globalization;

namespace RaftBalancer.Core.Health;

/// <summary>Turns the stream of probe results for one backend (on one node) into a health state.</summary>
/// <remarks>
/// <para>
/// Rules: a successful probe increments the success streak and clears the failure streak; a failed
/// probe (bad status, timeout, connection error) does the opposite. <see cref="HealthCheckOptions.FailureThreshold"/>
/// consecutive failures make the backend <see cref="HealthState.Unhealthy"/>;
/// <see cref="HealthCheckOptions.SuccessThreshold"/> consecutive successes make it <see cref="HealthState.Healthy"/>.
/// The machine starts <see cref="HealthState.Unknown"/> and leaves it only when one of the two thresholds is
/// reached, so with the defaults (3/1) the first success makes it Healthy, while the first failure leaves it
/// Unknown until the third.
/// </para>
/// <para>
/// A 429 answer makes the backend <see cref="HealthState.RateLimited"/> until the probe time plus its
/// retry-after, and clears both streaks (it is neither a success nor a failure). The deadline is honoured
/// strictly: results recorded before it update the streaks and the underlying state but the visible state
/// stays RateLimited; a further 429 replaces the deadline. Once the deadline has passed — noticed by the
/// next <see cref="Record"/> or by <see cref="Refresh"/> — the machine shows the underlying state again, i.e.
/// the state it had before the rate limit (possibly Unknown) as updated by any results recorded meanwhile.
/// </para>
/// <para>
/// Thread safety: <see cref="Record"/> and <see cref="Refresh"/> serialise on a private lock (normally a
/// single prober loop calls them, so it is uncontended). Every change publishes a new immutable
/// <see cref="HealthSnapshot"/>; <see cref="Current"/> and the convenience properties read it without locking
/// from any thread. Read <see cref="Current"/> once when several values must agree with each other.
/// </para>
/// </remarks>
public sealed class HealthStateMachine
{
    private readonly Lock _lock = new();
    private readonly int _failureThreshold;
    private readonly int _successThreshold;
    private readonly TimeSpan _defaultRetryAfter;

    // Guarded by _lock.
    private HealthState _underlying = HealthState.Unknown;
    private string _underlyingReason = "no probe yet";
    private DateTimeOffset? _rateLimitedUntil;
    private int _consecutiveFailures;
    private int _consecutiveSuccesses;

    private HealthSnapshot _snapshot;

    /// <summary>Creates a machine in the <see cref="HealthState.Unknown"/> state.</summary>
    /// <param name="options">Valid health check options; the thresholds are copied.</param>
    /// <param name="createdAt">The time the machine starts, reported as <see cref="HealthSnapshot.Since"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public HealthStateMachine(HealthCheckOptions options, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _failureThreshold = options.FailureThreshold;
        _successThreshold = options.SuccessThreshold;
        _defaultRetryAfter = options.EffectiveDefaultRetryAfter;
        _snapshot = new HealthSnapshot(HealthState.Unknown, createdAt, _underlyingReason, null, 0, 0, null);
    }

    /// <summary>The latest published snapshot; safe to read from any thread.</summary>
    public HealthSnapshot Current => Volatile.Read(ref _snapshot);

    /// <summary>The current state (from <see cref="Current"/>).</summary>
    public HealthState State => Current.State;

    /// <summary>When the current state was entered (from <see cref="Current"/>).</summary>
    public DateTimeOffset Since => Current.Since;

    /// <summary>A short explanation of the last transition (from <see cref="Current"/>).</summary>
    public string Reason => Current.Reason;

    /// <summary>While rate limited: when the backend may be used again (from <see cref="Current"/>).</summary>
    public DateTimeOffset? RateLimitedUntil => Current.RateLimitedUntil;

    /// <summary>The current failure streak (from <see cref="Current"/>).</summary>
    public int ConsecutiveFailures => Current.ConsecutiveFailures;

    /// <summary>The current success streak (from <see cref="Current"/>).</summary>
    public int ConsecutiveSuccesses => Current.ConsecutiveSuccesses;

    /// <summary>Feeds one probe result into the machine.</summary>
    /// <param name="result">The probe result.</param>
    /// <param name="now">When the probe completed.</param>
    /// <returns>The previous state and the snapshot now published; <see cref="HealthTransition.Changed"/> tells whether the state changed.</returns>
    public HealthTransition Record(ProbeResult result, DateTimeOffset now)
    {
        lock (_lock)
        {
            var previous = _snapshot;
            var visibleSince = previous.Since;
            var visibleReason = previous.Reason;

            if (ExpireRateLimit(now))
            {
                visibleSince = previous.RateLimitedUntil!.Value;
                visibleReason = "rate limit expired; " + _underlyingReason;
            }

            switch (result.Outcome)
            {
                case ProbeOutcome.Healthy:
                    _consecutiveFailures = 0;
                    _consecutiveSuccesses = Increment(_consecutiveSuccesses);
                    EnterOnStreak(HealthState.Healthy, _consecutiveSuccesses, _successThreshold, "successful", result, now, ref visibleSince, ref visibleReason);
                    break;

                case ProbeOutcome.Unhealthy:
                    _consecutiveSuccesses = 0;
                    _consecutiveFailures = Increment(_consecutiveFailures);
                    EnterOnStreak(HealthState.Unhealthy, _consecutiveFailures, _failureThreshold, "failed", result, now, ref visibleSince, ref visibleReason);
                    break;

                default:
                    _consecutiveSuccesses = 0;
                    _consecutiveFailures = 0;
                    var retryAfter = result.RetryAfter ?? _defaultRetryAfter;
                    if (retryAfter < TimeSpan.Zero)
                    {
                        retryAfter = TimeSpan.Zero;
                    }

                    if (_rateLimitedUntil is null)
                    {
                        visibleSince = now;
                    }

                    _rateLimitedUntil = now + retryAfter;
                    visibleReason = "rate limited by the backend (HTTP 429), retry after " + DurationText.Format(retryAfter);
                    break;
            }

            return Publish(previous, visibleSince, visibleReason, result);
        }
    }

    /// <summary>Clears an expired rate limit without a new probe.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>The previous state and the snapshot now published; <see cref="HealthTransition.Changed"/> is true when the rate limit ended.</returns>
    /// <remarks>The node calls this when <see cref="RateLimitedUntil"/> passes so routing does not wait for the next probe.</remarks>
    public HealthTransition Refresh(DateTimeOffset now)
    {
        lock (_lock)
        {
            var previous = _snapshot;
            if (!ExpireRateLimit(now))
            {
                return new HealthTransition(previous.State, previous);
            }

            return Publish(
                previous,
                previous.RateLimitedUntil!.Value,
                "rate limit expired; " + _underlyingReason,
                previous.LastProbe);
        }
    }

    private bool ExpireRateLimit(DateTimeOffset now)
    {
        if (_rateLimitedUntil is DateTimeOffset until && now >= until)
        {
            _rateLimitedUntil = null;
            return true;
        }

        return false;
    }

    private HealthTransition Publish(HealthSnapshot previous, DateTimeOffset since, string reason, ProbeResult? lastProbe)
    {
        var state = _rateLimitedUntil is null ? _underlying : HealthState.RateLimited;
        var snapshot = new HealthSnapshot(
            state,
            since,
            reason,
            _rateLimitedUntil,
            _consecutiveFailures,
            _consecutiveSuccesses,
            lastProbe);
        Volatile.Write(ref _snapshot, snapshot);
        return new HealthTransition(previous.State, snapshot);
    }

    private static int Increment(int value) => value == int.MaxValue ? value : value + 1;

    /// <summary>Moves the underlying state to <paramref name="target"/> once a streak reaches its threshold; visible at once unless rate limited.</summary>
    private void EnterOnStreak(HealthState target, int streak, int threshold, string kind, ProbeResult result, DateTimeOffset now, ref DateTimeOffset visibleSince, ref string visibleReason)
    {
        if (_underlying == target || streak < threshold)
        {
            return;
        }

        _underlying = target;
        _underlyingReason = Streak(streak, kind, result);
        if (_rateLimitedUntil is null)
        {
            (visibleSince, visibleReason) = (now, _underlyingReason);
        }
    }

    private static string Streak(int count, string kind, ProbeResult last) => string.Create(
        CultureInfo.InvariantCulture,
        $"{count} consecutive {kind} probe(s); last: {last.Describe()}");
}
