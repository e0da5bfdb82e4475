namespace RaftBalancer.Node.Tests.Proxy;

[Trait("Category", "Unit")]
public sealed class RetryBudgetTests
{
    [Theory]
    [InlineData(0, 3)]
    [InlineData(5, 3)]
    [InlineData(15, 3)]
    [InlineData(20, 4)]
    [InlineData(50, 10)]
    [InlineData(104, 20)]
    public void TryStartRetry_ActiveRequests_AllowsMaxOfMinimumAndTwentyPercent(int active, int expected)
    {
        var budget = new RetryBudget(0.2, 3);
        for (var i = 0; i < active; i++)
        {
            budget.RequestStarted();
        }

        var granted = 0;
        while (granted <= active + 10 && budget.TryStartRetry())
        {
            granted++;
        }

        Assert.Equal(expected, granted);
        Assert.Equal(expected, budget.Retried);
        Assert.Equal(1, budget.Refused);
    }

    [Fact]
    public void TryStartRetry_BudgetFull_EveryRefusalCountedAndNoSlotTaken()
    {
        var budget = new RetryBudget(0.2, 2);
        Assert.True(budget.TryStartRetry());
        Assert.True(budget.TryStartRetry());

        for (var i = 0; i < 5; i++)
        {
            Assert.False(budget.TryStartRetry());
        }

        Assert.Equal(2, budget.Retried);
        Assert.Equal(5, budget.Refused);

        // A refusal takes no slot: releasing one of the two granted frees exactly one.
        budget.RetryFinished();
        Assert.True(budget.TryStartRetry());
        Assert.False(budget.TryStartRetry());
        Assert.Equal(3, budget.Retried);
        Assert.Equal(6, budget.Refused);
    }

    [Fact]
    public void RetryFinished_ReleasesTheSlot_SoTheCapIsOnRetriesInFlightNotInTotal()
    {
        var budget = new RetryBudget(0.2, 1);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(budget.TryStartRetry(), "retry " + i + " after the previous one finished");
            budget.RetryFinished();
        }

        Assert.Equal(100, budget.Retried);
        Assert.Equal(0, budget.Refused);
    }

    [Fact]
    public void TryStartRetry_ZeroMinimumAndZeroRatio_RefusesEveryRetry()
    {
        var budget = new RetryBudget(0, 0);
        budget.RequestStarted();
        Assert.False(budget.TryStartRetry());
        Assert.Equal(0, budget.Retried);
        Assert.Equal(1, budget.Refused);
    }

    [Fact]
    public void RequestStartedAndFinished_TrackActive_AndTheCapFollowsIt()
    {
        var budget = new RetryBudget(0.5, 0);
        for (var i = 0; i < 4; i++)
        {
            budget.RequestStarted();
        }

        Assert.Equal(4, budget.Active);
        Assert.True(budget.TryStartRetry());
        Assert.True(budget.TryStartRetry());
        Assert.False(budget.TryStartRetry());

        // Fewer active requests: the two in flight are now over the cap, so nothing more until they finish.
        budget.RequestFinished();
        budget.RequestFinished();
        Assert.Equal(2, budget.Active);
        Assert.False(budget.TryStartRetry());
        budget.RetryFinished();
        Assert.False(budget.TryStartRetry());
        budget.RetryFinished();
        Assert.True(budget.TryStartRetry());
    }

    [Fact]
    public async Task TryStartRetry_ManyThreadsRacing_NeverMoreInFlightThanTheCap()
    {
        const int Active = 50;
        var budget = new RetryBudget(0.2, 3);
        for (var i = 0; i < Active; i++)
        {
            budget.RequestStarted();
        }

        var inFlight = 0;
        var maxInFlight = 0;
        using var start = new ManualResetEventSlim();
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.Wait();
            for (var i = 0; i < 20_000; i++)
            {
                if (!budget.TryStartRetry())
                {
                    continue;
                }

                var now = Interlocked.Increment(ref inFlight);
                int seen;
                while (now > (seen = Volatile.Read(ref maxInFlight)) && Interlocked.CompareExchange(ref maxInFlight, now, seen) != seen)
                {
                }

                Interlocked.Decrement(ref inFlight);
                budget.RetryFinished();
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(workers);

        Assert.InRange(maxInFlight, 1, 10);
        Assert.Equal(8 * 20_000, budget.Retried + budget.Refused);
    }
}
