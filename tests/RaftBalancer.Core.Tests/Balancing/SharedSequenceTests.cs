using RaftBalancer.Core.Balancing;
using RaftBalancer.Core.Tests.Routing;

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
    public void Next_SequentialPicksOnDifferentStripes_StrictNodeWideOrder()
    {
        var sequence = new SharedSequence();
        var stripes = new[] { 0, 1, 1, 2, 0, 3, 2, 2, 1, 0, 0 };

        var positions = stripes.Select(stripe => sequence.Next(stripe)).ToArray();

        Assert.Equal(Enumerable.Range(0, stripes.Length).Select(i => (uint)i), positions);
    }

    [Fact]
    public void Next_OwnWriteOverwrittenByOverlappingPick_StripeTakesBlocksForOneBurstThenStrictAgain()
    {
        var sequence = new SharedSequence();
        const int Burst = SharedSequence.BlockSize * SharedSequence.BurstBlocks;
        Assert.Equal(0u, sequence.Next(0));

        // A pick on stripe 1 read position 0 before stripe 0 wrote, and wrote after it: position 0 taken twice.
        sequence.WriteAsPick(0, 1);

        // Stripe 0 sees its write overwritten and claims blocks: positions 1..8 are its own, in order.
        var block = Enumerable.Range(0, SharedSequence.BlockSize).Select(_ => sequence.Next(0)).ToArray();
        Assert.Equal(Enumerable.Range(1, SharedSequence.BlockSize).Select(i => (uint)i), block);

        // Meanwhile stripe 2 takes the next position after the claimed block from the shared counter.
        var other = sequence.Next(2);
        Assert.Equal((uint)SharedSequence.BlockSize + 1, other);

        // The rest of stripe 0's burst: each block starts where the shared counter stood, strict inside.
        var rest = Enumerable.Range(0, Burst - SharedSequence.BlockSize).Select(_ => sequence.Next(0)).ToArray();
        for (var b = 0; b < rest.Length; b += SharedSequence.BlockSize)
        {
            Assert.Equal(Enumerable.Range((int)rest[b], SharedSequence.BlockSize).Select(i => (uint)i), rest.Skip(b).Take(SharedSequence.BlockSize));
        }

        Assert.Equal(other + 1, rest[0]);
        Assert.Equal(rest.Distinct().Count(), rest.Length);

        // The burst over and no overlap since: strict node-wide order again, whichever stripe picks.
        var after = new[] { sequence.Next(0), sequence.Next(3), sequence.Next(0) };
        Assert.Equal([rest[^1] + 1, rest[^1] + 2, rest[^1] + 3], after);
    }

    [Fact]
    public void Next_ManyThreadsAtOnce_EveryPositionTakenAtMostAFewTimesAndCountsEven()
    {
        var sequence = new SharedSequence();
        const int Threads = 8;
        const int PicksPerThread = 100_000;
        var counts = new long[10];
        using var start = new Barrier(Threads);

        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            var local = new long[counts.Length];
            start.SignalAndWait();
            for (var i = 0; i < PicksPerThread; i++)
            {
                local[sequence.Next() % (uint)local.Length]++;
            }

            for (var i = 0; i < local.Length; i++)
            {
                Interlocked.Add(ref counts[i], local[i]);
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.Equal(Threads * PicksPerThread, counts.Sum());
        var expected = Threads * PicksPerThread / counts.Length;
        Assert.All(counts, count => Assert.InRange(count, expected * 95 / 100, expected * 105 / 100));
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
