namespace RaftBalancer.Core.Tests.Health;

[Trait("Category", "Unit")]
public sealed class HealthStateMachineTests
{
    private static readonly ProbeResult Ok = ProbeResult.Healthy(200, TimeSpan.FromMilliseconds(5));
    private static readonly ProbeResult Status500 = ProbeResult.UnhealthyStatus(500, TimeSpan.FromMilliseconds(5));
    private static readonly ProbeResult Timeout = ProbeResult.Failed("timeout after 2s", TimeSpan.FromSeconds(2));
    private static readonly ProbeResult Refused = ProbeResult.Failed("connection refused", TimeSpan.FromMilliseconds(1));

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private HealthStateMachine Create(int failureThreshold = 3, int successThreshold = 2) =>
        new(new HealthCheckOptions { FailureThreshold = failureThreshold, SuccessThreshold = successThreshold }, _time.GetUtcNow());

    private HealthTransition Record(HealthStateMachine machine, ProbeResult result)
    {
        _time.Advance(TimeSpan.FromSeconds(5));
        return machine.Record(result, _time.GetUtcNow());
    }

    [Fact]
    public void Constructor_NewMachine_IsUnknownSinceCreation()
    {
        var created = _time.GetUtcNow();
        var machine = Create();

        Assert.Equal(HealthState.Unknown, machine.State);
        Assert.Equal(created, machine.Since);
        Assert.Equal("no probe yet", machine.Reason);
        Assert.Null(machine.RateLimitedUntil);
        Assert.Null(machine.Current.LastProbe);
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new HealthStateMachine(null!, _time.GetUtcNow()));
        var ex = Assert.Throws<ArgumentException>(
            () => new HealthStateMachine(new HealthCheckOptions { FailureThreshold = 0 }, _time.GetUtcNow()));
        Assert.Contains("HealthCheck:FailureThreshold", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_SuccessesBelowThresholdFromUnknown_StaysUnknown()
    {
        var machine = Create(successThreshold: 2);

        var transition = Record(machine, Ok);

        Assert.False(transition.Changed);
        Assert.Equal(HealthState.Unknown, transition.Current);
        Assert.Equal(1, machine.ConsecutiveSuccesses);
    }

    [Fact]
    public void Record_SuccessThresholdReachedFromUnknown_BecomesHealthy()
    {
        var machine = Create(successThreshold: 2);
        Record(machine, Ok);

        var transition = Record(machine, Ok);

        Assert.True(transition.Changed);
        Assert.Equal(HealthState.Unknown, transition.Previous);
        Assert.Equal(HealthState.Healthy, transition.Current);
        Assert.Equal(_time.GetUtcNow(), machine.Since);
        Assert.Equal("2 consecutive successful probe(s); last: HTTP 200 in 5ms", machine.Reason);
        Assert.Equal(Ok, machine.Current.LastProbe);
    }

    [Fact]
    public void Record_FailureThresholdReachedFromUnknown_BecomesUnhealthy()
    {
        var machine = Create(failureThreshold: 3);

        Assert.False(Record(machine, Status500).Changed);
        Assert.False(Record(machine, Status500).Changed);
        var transition = Record(machine, Status500);

        Assert.True(transition.Changed);
        Assert.Equal(HealthState.Unhealthy, machine.State);
        Assert.Equal(3, machine.ConsecutiveFailures);
        Assert.Equal(0, machine.ConsecutiveSuccesses);
        Assert.Contains("3 consecutive failed probe(s); last: HTTP 500", machine.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_TimeoutsAndConnectionErrors_CountAsFailures()
    {
        var machine = Create(failureThreshold: 3, successThreshold: 1);
        Record(machine, Ok);

        Record(machine, Timeout);
        Record(machine, Refused);
        Assert.Equal(HealthState.Healthy, machine.State);
        Record(machine, Timeout);

        Assert.Equal(HealthState.Unhealthy, machine.State);
        Assert.Contains("timeout after 2s", machine.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_SuccessInterruptsFailureStreak_StaysHealthy()
    {
        var machine = Create(failureThreshold: 3, successThreshold: 1);
        Record(machine, Ok);

        Record(machine, Status500);
        Record(machine, Status500);
        Record(machine, Ok);
        Record(machine, Status500);
        Record(machine, Status500);

        Assert.Equal(HealthState.Healthy, machine.State);
        Assert.Equal(2, machine.ConsecutiveFailures);
    }

    [Fact]
    public void Record_UnhealthyThenSuccessThreshold_RecoversToHealthy()
    {
        var machine = Create(failureThreshold: 1, successThreshold: 2);
        Record(machine, Refused);
        Assert.Equal(HealthState.Unhealthy, machine.State);

        Record(machine, Ok);
        Assert.Equal(HealthState.Unhealthy, machine.State);
        var transition = Record(machine, Ok);

        Assert.True(transition.Changed);
        Assert.Equal(HealthState.Unhealthy, transition.Previous);
        Assert.Equal(HealthState.Healthy, machine.State);
    }

    [Fact]
    public void Record_FurtherResultsInSameState_KeepSinceAndReason()
    {
        var machine = Create(failureThreshold: 1);
        Record(machine, Status500);
        var since = machine.Since;
        var reason = machine.Reason;

        var transition = Record(machine, Timeout);

        Assert.False(transition.Changed);
        Assert.Equal(since, machine.Since);
        Assert.Equal(reason, machine.Reason);
        Assert.Equal(2, machine.ConsecutiveFailures);
        Assert.Equal(Timeout, machine.Current.LastProbe);
    }

    [Fact]
    public void Record_RateLimited_HonoursRetryAfterThenReturnsToPreviousState()
    {
        var machine = Create(successThreshold: 1);
        Record(machine, Ok);

        var limited = Record(machine, ProbeResult.RateLimited(TimeSpan.FromSeconds(7), TimeSpan.FromMilliseconds(2)));
        var limitedAt = _time.GetUtcNow();

        Assert.True(limited.Changed);
        Assert.Equal(HealthState.RateLimited, machine.State);
        Assert.Equal(limitedAt + TimeSpan.FromSeconds(7), machine.RateLimitedUntil);
        Assert.Equal(limitedAt, machine.Since);
        Assert.Contains("retry after 7s", machine.Reason, StringComparison.Ordinal);
        Assert.Equal(0, machine.ConsecutiveSuccesses);

        Assert.False(machine.Refresh(limitedAt + TimeSpan.FromSeconds(6.9)).Changed);
        Assert.Equal(HealthState.RateLimited, machine.State);

        var cleared = machine.Refresh(limitedAt + TimeSpan.FromSeconds(8));

        Assert.True(cleared.Changed);
        Assert.Equal(HealthState.RateLimited, cleared.Previous);
        Assert.Equal(HealthState.Healthy, machine.State);
        Assert.Null(machine.RateLimitedUntil);
        Assert.Equal(limitedAt + TimeSpan.FromSeconds(7), machine.Since);
        Assert.StartsWith("rate limit expired; ", machine.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_RateLimitedWithoutRetryAfter_UsesDefaultRetryAfter()
    {
        var options = new HealthCheckOptions { DefaultRetryAfter = TimeSpan.FromSeconds(30) };
        var machine = new HealthStateMachine(options, _time.GetUtcNow());

        machine.Record(new ProbeResult(ProbeOutcome.RateLimited, 429, TimeSpan.Zero, null, null), _time.GetUtcNow());

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(30), machine.RateLimitedUntil);
    }

    [Fact]
    public void Record_RateLimitedWithNegativeRetryAfter_ExpiresAtOnce()
    {
        var machine = Create();
        var now = _time.GetUtcNow();

        machine.Record(ProbeResult.RateLimited(TimeSpan.FromSeconds(-3), TimeSpan.Zero), now);
        Assert.Equal(now, machine.RateLimitedUntil);

        Assert.True(machine.Refresh(now).Changed);
        Assert.Equal(HealthState.Unknown, machine.State);
    }

    [Fact]
    public void Record_RateLimitedFromUnknown_ReturnsToUnknown()
    {
        var machine = Create();
        var now = _time.GetUtcNow();
        machine.Record(ProbeResult.RateLimited(TimeSpan.FromSeconds(1), TimeSpan.Zero), now);

        var transition = machine.Record(Ok, now + TimeSpan.FromSeconds(2));

        Assert.True(transition.Changed);
        Assert.Equal(HealthState.Unknown, machine.State);
        Assert.Equal(1, machine.ConsecutiveSuccesses);
        Assert.Equal(now + TimeSpan.FromSeconds(1), machine.Since);
    }

    [Fact]
    public void Record_ResultsDuringRateLimit_UpdateUnderlyingStateButStayRateLimited()
    {
        var machine = Create(failureThreshold: 2, successThreshold: 1);
        Record(machine, Ok);
        var start = _time.GetUtcNow();
        machine.Record(ProbeResult.RateLimited(TimeSpan.FromSeconds(60), TimeSpan.Zero), start);
        var since = machine.Since;

        machine.Record(Status500, start + TimeSpan.FromSeconds(10));
        var during = machine.Record(Status500, start + TimeSpan.FromSeconds(20));

        Assert.False(during.Changed);
        Assert.Equal(HealthState.RateLimited, machine.State);
        Assert.Equal(since, machine.Since);
        Assert.Equal(2, machine.ConsecutiveFailures);

        var after = machine.Refresh(start + TimeSpan.FromSeconds(60));

        Assert.True(after.Changed);
        Assert.Equal(HealthState.Unhealthy, machine.State);
        Assert.Contains("2 consecutive failed probe(s)", machine.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_SecondRateLimit_ReplacesDeadlineWithoutTransition()
    {
        var machine = Create();
        var start = _time.GetUtcNow();
        machine.Record(ProbeResult.RateLimited(TimeSpan.FromSeconds(10), TimeSpan.Zero), start);

        var again = machine.Record(ProbeResult.RateLimited(TimeSpan.FromSeconds(30), TimeSpan.Zero), start + TimeSpan.FromSeconds(5));

        Assert.False(again.Changed);
        Assert.Equal(start, machine.Since);
        Assert.Equal(start + TimeSpan.FromSeconds(35), machine.RateLimitedUntil);
        Assert.Contains("retry after 30s", machine.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Refresh_NotRateLimited_ChangesNothing()
    {
        var machine = Create();
        var before = machine.Current;

        var transition = machine.Refresh(_time.GetUtcNow() + TimeSpan.FromHours(1));

        Assert.False(transition.Changed);
        Assert.Same(before, transition.Snapshot);
        Assert.Same(before, machine.Current);
    }

    [Fact]
    public async Task Current_ReadConcurrentlyWithRecords_AlwaysConsistentSnapshot()
    {
        var machine = Create(failureThreshold: 1, successThreshold: 1);
        var now = _time.GetUtcNow();
        using var stop = new CancellationTokenSource();

        var reader = Task.Run(() =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested || reads == 0)
            {
                var snapshot = machine.Current;
                if (snapshot.State == HealthState.Healthy)
                {
                    Assert.Equal(0, snapshot.ConsecutiveFailures);
                }
                else if (snapshot.State == HealthState.Unhealthy)
                {
                    Assert.Equal(0, snapshot.ConsecutiveSuccesses);
                }

                reads++;
            }
        });

        for (var i = 0; i < 20_000; i++)
        {
            machine.Record(i % 3 == 0 ? Status500 : Ok, now);
        }

        await stop.CancelAsync();
        await reader;
    }
}
