namespace RaftBalancer.Core.Tests.Balancing;

/// <summary>A node's successive requests run on different threads; the rotation must follow them across threads.</summary>
[Trait("Category", "Unit")]
public sealed class SharedSequenceTests
{
    [Fact]
    public void Next_FirstValue_IsZeroThenIncrements()
    {
        var sequence = new SharedSequence();

        Assert.Equal([0u, 1u, 2u], new[] { sequence.Next(), sequence.Next(), sequence.Next() });
    }

    [Fact]
    public async Task WeightedPick_SequentialPicksOnFreshThreads_FollowTheNodeWideSchedule()
    {
        var policy = BalancingPolicies.Create(BalancingPolicyNames.WeightedRoundRobin);
        var view = TestViews.Weighted(5, 1, 1);
        var ids = new List<string>();

        for (var i = 0; i < 7; i++)
        {
            // Each pick on its own new thread, one after the other, as sequential requests reach Kestrel.
            var id = await Task.Factory.StartNew(() => policy.Pick(view).Backend!.Id, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            ids.Add(id);
        }

        Assert.Equal(["b0", "b0", "b1", "b0", "b2", "b0", "b0"], ids);
    }

    [Fact]
    public async Task LeastConnectionsPick_SequentialIdlePicksOnFreshThreads_RotateTies()
    {
        var policy = BalancingPolicies.Create(BalancingPolicyNames.LeastConnections);
        var view = TestViews.Ids("a", "b", "c");
        var ids = new List<string>();

        for (var i = 0; i < 6; i++)
        {
            var id = await Task.Factory.StartNew(() => policy.Pick(view).Backend!.Id, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            ids.Add(id);
        }

        Assert.Equal(["a", "b", "c", "a", "b", "c"], ids);
    }
}
