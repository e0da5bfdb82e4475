namespace RaftBalancer.Core.Tests.Balancing;

[Trait("Category", "Unit")]
public sealed class PolicyConcurrencyTests
{
    private const int Workers = 1_000;
    private const int PicksPerWorker = 1_000;

    /// <summary>
    /// Runs <see cref="Workers"/> asynchronous workers released together by one gate; each does its picks in
    /// slices, yielding between slices so the workers interleave across every thread-pool thread.
    /// </summary>
    private static async Task<long[]> RunWorkersAsync(IBalancingPolicy policy, RoutingView view, ConnectionTracker? tracker)
    {
        var counts = new long[view.Backends.Count];
        var index = view.Backends.Select((backend, i) => (backend, i)).ToDictionary(pair => pair.backend, pair => pair.i);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task WorkerAsync()
        {
            await gate.Task;
            var local = new long[counts.Length];
            for (var slice = 0; slice < 10; slice++)
            {
                for (var i = 0; i < PicksPerWorker / 10; i++)
                {
                    var result = policy.Pick(view);
                    if (!result.IsSuccess)
                    {
                        throw new InvalidOperationException("pick failed with candidates available");
                    }

                    if (tracker is not null)
                    {
                        var lease = tracker.StartConnection(result.Backend);
                        tracker.FinishConnection(lease);
                    }

                    local[index[result.Backend]]++;
                }

                await Task.Yield();
            }

            for (var i = 0; i < local.Length; i++)
            {
                Interlocked.Add(ref counts[i], local[i]);
            }
        }

        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkerAsync)).ToArray();
        gate.SetResult();
        await Task.WhenAll(workers);
        return counts;
    }

    [Fact]
    public async Task Pick_RoundRobinThousandWorkersThousandPicks_NoErrorEvenSpread()
    {
        var counts = await RunWorkersAsync(new RoundRobinPolicy(), TestViews.Ids("a", "b", "c", "d"), tracker: null);

        Assert.Equal((long)Workers * PicksPerWorker, counts.Sum());
        Assert.All(counts, count => Assert.InRange(count, 237_500, 262_500));
    }

    [Fact]
    public async Task Pick_SmoothWeightedThousandWorkersThousandPicks_NoErrorWeightedSpread()
    {
        var counts = await RunWorkersAsync(new SmoothWeightedRoundRobinPolicy(), TestViews.Weighted(1, 2, 3, 4), tracker: null);

        Assert.Equal((long)Workers * PicksPerWorker, counts.Sum());
        for (var i = 0; i < counts.Length; i++)
        {
            var expected = Workers * PicksPerWorker * (i + 1) / 10;
            Assert.InRange(counts[i], expected * 95 / 100, expected * 105 / 100);
        }
    }

    [Fact]
    public async Task Pick_LeastConnectionsThousandWorkersThousandPicksWithStartFinish_NoErrorCountsBackToZero()
    {
        var tracker = TestViews.NewTracker();
        var view = TestViews.Ids(tracker, "a", "b", "c", "d");

        var counts = await RunWorkersAsync(new LeastConnectionsPolicy(), view, tracker);

        Assert.Equal((long)Workers * PicksPerWorker, counts.Sum());
        Assert.All(counts, count => Assert.True(count > 0));
        Assert.All(view.Backends, backend => Assert.Equal(0, backend.Counter.Active));
        Assert.Equal(0, tracker.ReclaimedTotal);
    }

    [Fact]
    public async Task Pick_ViewSwappedWhileWorkersPick_NoErrorAndNoStaleCandidate()
    {
        var tracker = TestViews.NewTracker();
        var policy = new SmoothWeightedRoundRobinPolicy();
        var views = new[] { TestViews.Weighted(tracker, 1, 2), TestViews.Weighted(tracker, 3, 1, 1), TestViews.Weighted(tracker, 5) };
        var current = views[0];
        using var cancellation = new CancellationTokenSource();

        var swapper = Task.Run(() =>
        {
            for (var i = 0; !cancellation.IsCancellationRequested; i++)
            {
                Volatile.Write(ref current, views[i % views.Length]);
                Thread.Yield();
            }
        });
        var pickers = Enumerable.Range(0, Environment.ProcessorCount * 2).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                var view = Volatile.Read(ref current);
                var result = policy.Pick(view);
                Assert.True(result.IsSuccess);
                Assert.Contains(result.Backend, view.Candidates);
            }
        })).ToArray();

        await Task.WhenAll(pickers);
        await cancellation.CancelAsync();
        await swapper;
    }
}
