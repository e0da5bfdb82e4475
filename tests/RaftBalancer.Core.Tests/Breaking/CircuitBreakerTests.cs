namespace RaftBalancer.Core.Tests.Breaking;

[Trait("Category", "Unit")]
public sealed class CircuitBreakerTests
{
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<CircuitStateChangedEventArgs> _events = [];

    private CircuitBreaker Create(int minRequestsToTrip = 3, int halfOpenMaxRequests = 2, int successThreshold = 2)
    {
        var breaker = new CircuitBreaker(
            new CircuitBreakerOptions
            {
                MinRequestsToTrip = minRequestsToTrip,
                OpenTimeout = OpenTimeout,
                HalfOpenMaxRequests = halfOpenMaxRequests,
                SuccessThreshold = successThreshold,
            },
            _time);
        breaker.StateChanged += (sender, e) =>
        {
            Assert.Same(breaker, sender);
            _events.Add(e);
        };
        return breaker;
    }

    private static void Fail(CircuitBreaker breaker, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.True(breaker.TryAcquire(out var lease));
            breaker.RecordFailure(lease);
        }
    }

    private CircuitBreaker CreateHalfOpen(int halfOpenMaxRequests = 2, int successThreshold = 2)
    {
        var breaker = Create(halfOpenMaxRequests: halfOpenMaxRequests, successThreshold: successThreshold);
        Fail(breaker, 3);
        _time.Advance(OpenTimeout);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        _events.Clear();
        return breaker;
    }

    /// <summary>A half-open breaker with two trial slots, both taken.</summary>
    private (CircuitBreaker Breaker, CircuitBreakerLease First, CircuitBreakerLease Second) HalfOpenWithTwoTrials(int successThreshold)
    {
        var breaker = CreateHalfOpen(halfOpenMaxRequests: 2, successThreshold: successThreshold);
        Assert.True(breaker.TryAcquire(out var first));
        Assert.True(breaker.TryAcquire(out var second));
        return (breaker, first, second);
    }

    [Fact]
    public void Constructor_NewBreaker_IsClosedAndAdmits()
    {
        var breaker = Create();

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.True(breaker.TryAcquire(out var lease));
        Assert.False(lease.IsTrial);
        Assert.Null(breaker.OpenUntil);
        Assert.Equal(0, breaker.ConsecutiveFailures);
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new CircuitBreaker(null!, _time));
        Assert.Throws<ArgumentNullException>(() => new CircuitBreaker(new CircuitBreakerOptions(), null!));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheField()
    {
        var ex = Assert.Throws<ArgumentException>(
            () => new CircuitBreaker(new CircuitBreakerOptions { MinRequestsToTrip = 0 }, _time));

        Assert.Contains("CircuitBreaker:MinRequestsToTrip", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordFailure_MinRequestsToTripConsecutiveFailures_Opens()
    {
        var breaker = Create(minRequestsToTrip: 3);

        Fail(breaker, 2);
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(2, breaker.ConsecutiveFailures);

        Fail(breaker, 1);
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(_time.GetUtcNow() + OpenTimeout, breaker.OpenUntil);
    }

    [Fact]
    public void TryAcquire_WhileOpen_Rejects()
    {
        var breaker = Create();
        Fail(breaker, 3);

        _time.Advance(OpenTimeout - TimeSpan.FromMilliseconds(1));

        Assert.False(breaker.TryAcquire(out var lease));
        Assert.Equal(default, lease);
        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public void RecordSuccess_InClosed_ResetsFailureCount()
    {
        var breaker = Create(minRequestsToTrip: 3);

        Fail(breaker, 2);
        Assert.True(breaker.TryAcquire(out var lease));
        breaker.RecordSuccess(lease);
        Assert.Equal(0, breaker.ConsecutiveFailures);
        Fail(breaker, 2);

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(2, breaker.ConsecutiveFailures);
    }

    [Fact]
    public void TryAcquire_AfterOpenTimeout_AdmitsAtMostHalfOpenMaxRequests()
    {
        var breaker = Create(halfOpenMaxRequests: 2);
        Fail(breaker, 3);
        _time.Advance(OpenTimeout);

        Assert.True(breaker.TryAcquire(out var first));
        Assert.True(breaker.TryAcquire(out var second));
        Assert.False(breaker.TryAcquire(out _));

        Assert.True(first.IsTrial);
        Assert.True(second.IsTrial);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.Equal(2, breaker.TrialsInFlight);
        Assert.Null(breaker.OpenUntil);
    }

    [Fact]
    public void RecordSuccess_SuccessThresholdTrialSuccesses_Closes()
    {
        var (breaker, first, second) = HalfOpenWithTwoTrials(successThreshold: 2);

        breaker.RecordSuccess(first);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        breaker.RecordResult(second, success: true);

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(0, breaker.TrialsInFlight);
        Assert.True(breaker.TryAcquire(out var normal));
        Assert.False(normal.IsTrial);
    }

    [Fact]
    public void RecordSuccess_SequentialTrialsWithOneSlot_CloseAfterThreshold()
    {
        var breaker = CreateHalfOpen(halfOpenMaxRequests: 1, successThreshold: 2);

        Assert.True(breaker.TryAcquire(out var first));
        Assert.False(breaker.TryAcquire(out _));
        breaker.RecordSuccess(first);
        Assert.True(breaker.TryAcquire(out var second));
        breaker.RecordSuccess(second);

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void RecordFailure_InHalfOpen_ReopensWithNewTimeout()
    {
        var breaker = CreateHalfOpen();
        Assert.True(breaker.TryAcquire(out var trial));
        _time.Advance(TimeSpan.FromSeconds(3));

        breaker.RecordFailure(trial);

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(_time.GetUtcNow() + OpenTimeout, breaker.OpenUntil);
        _time.Advance(OpenTimeout - TimeSpan.FromTicks(1));
        Assert.False(breaker.TryAcquire(out _));
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(breaker.TryAcquire(out _));
    }

    [Fact]
    public void Release_AbandonedTrial_FreesItsSlot()
    {
        var breaker = CreateHalfOpen(halfOpenMaxRequests: 1);
        Assert.True(breaker.TryAcquire(out var trial));
        Assert.False(breaker.TryAcquire(out _));

        breaker.Release(trial);

        Assert.Equal(0, breaker.TrialsInFlight);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.True(breaker.TryAcquire(out _));
    }

    [Fact]
    public void Release_NormalLeaseOrDoubleRelease_ChangesNothing()
    {
        var breaker = Create();
        Assert.True(breaker.TryAcquire(out var normal));
        breaker.Release(normal);
        Assert.Equal(CircuitState.Closed, breaker.State);

        var halfOpen = CreateHalfOpen(halfOpenMaxRequests: 1);
        Assert.True(halfOpen.TryAcquire(out var trial));
        halfOpen.Release(trial);
        halfOpen.Release(trial);

        Assert.Equal(0, halfOpen.TrialsInFlight);
    }

    [Fact]
    public void RecordResult_StaleClosedLeaseAfterTrip_IsIgnored()
    {
        var breaker = Create(minRequestsToTrip: 3);
        Assert.True(breaker.TryAcquire(out var slow));
        Fail(breaker, 3);
        _time.Advance(OpenTimeout);
        Assert.True(breaker.TryAcquire(out var trial));

        // The slow request from before the trip completes during half-open: it must neither count as a
        // trial result nor free the trial slot.
        breaker.RecordSuccess(slow);
        breaker.RecordFailure(slow);

        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.Equal(1, breaker.TrialsInFlight);
        breaker.RecordSuccess(trial);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }

    [Fact]
    public void RecordResult_DefaultLease_IsIgnored()
    {
        var breaker = Create(minRequestsToTrip: 1);

        breaker.RecordFailure(default);

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void RecordResult_TrialFromPreviousHalfOpenRound_FreesSlotButDoesNotCount()
    {
        var (breaker, stale, failing) = HalfOpenWithTwoTrials(successThreshold: 1);
        breaker.RecordFailure(failing);
        _time.Advance(OpenTimeout);

        // The stale trial still holds a slot in the new round.
        Assert.True(breaker.TryAcquire(out var current));
        Assert.False(breaker.TryAcquire(out _));

        breaker.RecordSuccess(stale);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.Equal(1, breaker.TrialsInFlight);

        breaker.RecordSuccess(current);
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void RecordResult_TrialCompletingAfterClose_FreesSlotOnly()
    {
        var (breaker, first, second) = HalfOpenWithTwoTrials(successThreshold: 1);
        breaker.RecordSuccess(first);
        Assert.Equal(CircuitState.Closed, breaker.State);

        breaker.RecordFailure(second);

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(0, breaker.ConsecutiveFailures);
        Assert.Equal(0, breaker.TrialsInFlight);
    }

    [Fact]
    public void StateChanged_FullCycle_RaisedWithOldNewStateAndTime()
    {
        var breaker = Create(minRequestsToTrip: 3, halfOpenMaxRequests: 1, successThreshold: 1);
        var start = _time.GetUtcNow();

        Fail(breaker, 3);
        _time.Advance(OpenTimeout);
        Assert.True(breaker.TryAcquire(out var trial));
        breaker.RecordFailure(trial);
        _time.Advance(OpenTimeout);
        Assert.True(breaker.TryAcquire(out trial));
        breaker.RecordSuccess(trial);

        Assert.Collection(
            _events,
            e => AssertEvent(e, CircuitState.Closed, CircuitState.Open, start),
            e => AssertEvent(e, CircuitState.Open, CircuitState.HalfOpen, start + OpenTimeout),
            e => AssertEvent(e, CircuitState.HalfOpen, CircuitState.Open, start + OpenTimeout),
            e => AssertEvent(e, CircuitState.Open, CircuitState.HalfOpen, start + (2 * OpenTimeout)),
            e => AssertEvent(e, CircuitState.HalfOpen, CircuitState.Closed, start + (2 * OpenTimeout)));
    }

    [Fact]
    public void State_ReadAfterOpenTimeout_TransitionsToHalfOpenOnce()
    {
        var breaker = Create();
        Fail(breaker, 3);
        _events.Clear();
        _time.Advance(OpenTimeout);

        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);

        var e = Assert.Single(_events);
        AssertEvent(e, CircuitState.Open, CircuitState.HalfOpen, _time.GetUtcNow());
    }

    [Fact]
    public async Task TryAcquire_ManyThreadsWhileHalfOpen_NeverAdmitMoreThanMax()
    {
        for (var round = 0; round < 20; round++)
        {
            // More than the 8 x 2000 attempts can ever succeed: the breaker must stay half-open for the whole round
            // (with 1000, a round that admitted ~2000 trials closed it legitimately and then admitted everyone).
            var breaker = CreateHalfOpen(halfOpenMaxRequests: 2, successThreshold: 1_000_000);
            var admitted = 0;
            var maxObserved = 0;
            var outstanding = 0;
            using var start = new Barrier(8);

            var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < 2000; i++)
                {
                    if (breaker.TryAcquire(out var lease))
                    {
                        Interlocked.Increment(ref admitted);
                        var now = Interlocked.Increment(ref outstanding);
                        InterlockedMax(ref maxObserved, now);
                        Interlocked.Decrement(ref outstanding);
                        if (i % 2 == 0)
                        {
                            breaker.RecordSuccess(lease);
                        }
                        else
                        {
                            breaker.Release(lease);
                        }
                    }
                }
            })).ToArray();
            await Task.WhenAll(workers);

            Assert.Equal(CircuitState.HalfOpen, breaker.State);
            Assert.InRange(maxObserved, 1, 2);
            Assert.True(admitted > 0);
            Assert.Equal(0, breaker.TrialsInFlight);
        }
    }

    [Fact]
    public async Task RecordFailure_ConcurrentFailuresInClosed_OpenExactlyOnce()
    {
        var breaker = Create(minRequestsToTrip: 5);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                if (breaker.TryAcquire(out var lease))
                {
                    breaker.RecordFailure(lease);
                }
            }
        })));

        Assert.Equal(CircuitState.Open, breaker.State);
        var e = Assert.Single(_events);
        Assert.Equal(CircuitState.Open, e.Current);
    }

    private static void AssertEvent(CircuitStateChangedEventArgs e, CircuitState previous, CircuitState current, DateTimeOffset at)
    {
        Assert.Equal(previous, e.Previous);
        Assert.Equal(current, e.Current);
        Assert.Equal(at, e.At);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var original = Interlocked.CompareExchange(ref target, value, seen);
            if (original == seen)
            {
                return;
            }

            seen = original;
        }
    }
}
