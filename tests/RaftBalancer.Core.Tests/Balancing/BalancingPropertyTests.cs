namespace RaftBalancer.Core.Tests.Balancing;

[Trait("Category", "Unit")]
public sealed class BalancingPropertyTests
{
    private static readonly Gen<int[]> Weights =
        Gen.Choose(1, 8).SelectMany(count => Gen.Choose(1, 20).ArrayOf(count));

    /// <summary>nginx's smooth weighted round robin, step by step with live scores: the reference the schedule must match.</summary>
    private static int[] NginxSequence(int[] weights, int picks)
    {
        var total = weights.Sum();
        var scores = new int[weights.Length];
        var sequence = new int[picks];
        for (var pick = 0; pick < picks; pick++)
        {
            var best = -1;
            for (var i = 0; i < weights.Length; i++)
            {
                scores[i] += weights[i];
                if (best < 0 || scores[i] > scores[best])
                {
                    best = i;
                }
            }

            scores[best] -= total;
            sequence[pick] = best;
        }

        return sequence;
    }

    /// <summary>
    /// Every window of sum(weights) consecutive picks — at any offset, not only aligned ones — holds each backend
    /// exactly its weight times: the sequence is periodic with period sum/gcd, which divides sum, so any window of
    /// length sum covers whole periods. The picks also equal nginx's live-score algorithm pick for pick.
    /// </summary>
    [Property(MaxTest = 200)]
    public Property Pick_SmoothWeighted_EveryWindowOfWeightSumHoldsEachBackendWeightTimes() =>
        Prop.ForAll(Weights.ToArbitrary(), weights =>
        {
            var total = weights.Sum();
            var policy = new SmoothWeightedRoundRobinPolicy();
            var view = TestViews.Weighted(weights);
            var picks = Enumerable.Range(0, total * 3).Select(_ => int.Parse(policy.Pick(view).Backend!.Id.AsSpan(1), provider: null)).ToArray();

            var windowsHold = Enumerable.Range(0, picks.Length - total + 1).All(start =>
            {
                var tally = new int[weights.Length];
                for (var i = start; i < start + total; i++)
                {
                    tally[picks[i]]++;
                }

                return tally.SequenceEqual(weights);
            });

            return (windowsHold && picks.SequenceEqual(NginxSequence(weights, picks.Length)))
                .Label($"weights {string.Join(",", weights)}: picks {string.Join(",", picks)}");
        });

    private static readonly Gen<(long Remote, int Local)[]> Loads =
        Gen.Choose(1, 8).SelectMany(count => Gen.Choose(0, 10).Select(remote => (long)remote).Zip(Gen.Choose(0, 5)).ArrayOf(count));

    /// <summary>Least connections always returns a candidate whose cluster-wide load (local live plus remote) is minimal.</summary>
    [Property(MaxTest = 300)]
    public Property Pick_LeastConnections_ReturnsMinimalLoad() =>
        Prop.ForAll(Loads.ToArbitrary(), Gen.Choose(0, 20).ToArbitrary(), (loads, rotation) =>
        {
            var tracker = TestViews.NewTracker();
            var view = TestViews.WithRemote(tracker, loads.Select(load => load.Remote).ToArray());
            for (var i = 0; i < loads.Length; i++)
            {
                for (var s = 0; s < loads[i].Local; s++)
                {
                    tracker.StartConnection(view.Backends[i]);
                }
            }

            var policy = new LeastConnectionsPolicy();
            for (var i = 0; i < rotation; i++)
            {
                policy.Pick(view);
            }

            var minimum = view.Backends.Min(backend => backend.Load);
            var picked = policy.Pick(view).Backend!;

            return (picked.Load == minimum).Label($"picked {picked.Id} load {picked.Load}, minimum {minimum}");
        });

    /// <summary>One step of a tracker workload.</summary>
    internal abstract record TrackerOp;

    internal sealed record StartOp(int Backend) : TrackerOp;

    internal sealed record FinishOp(int Lease) : TrackerOp;

    internal sealed record ReclaimOp : TrackerOp;

    internal sealed record AdvanceOp(int Milliseconds) : TrackerOp;

    private const int TrackerBackends = 3;
    private static readonly TimeSpan PropertyLeakTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan TimerPeriod = PropertyLeakTimeout / 4;

    private static Gen<TrackerOp[]> Ops(int maxAdvanceMilliseconds) =>
        Gen.Frequency(
            (5, Gen.Choose(0, TrackerBackends - 1).Select(TrackerOp (backend) => new StartOp(backend))),
            (4, Gen.Choose(0, 1000).Select(TrackerOp (lease) => new FinishOp(lease))),
            (2, Gen.Constant<TrackerOp>(new ReclaimOp())),
            (3, Gen.Choose(0, maxAdvanceMilliseconds).Select(TrackerOp (ms) => new AdvanceOp(ms))))
        .ListOf()
        .Select(list => list.ToArray());

    /// <summary>
    /// Whatever the sequence of starts, finishes, reclaims and clock moves (including jumps far beyond the leak
    /// timeout without a reclaim), no count goes negative, a finish lowers a count by at most one, and the total
    /// equals starts − finishes that took effect − reclaimed.
    /// </summary>
    [Property(MaxTest = 300, EndSize = 200)]
    public Property StartFinishReclaim_AnySequence_CountsNeverNegativeAndAccountingHolds() =>
        Prop.ForAll(Ops(5_000).ToArbitrary(), ops =>
        {
            var time = new FakeTimeProvider();
            var tracker = new ConnectionTracker(time, PropertyLeakTimeout);
            var counters = Enumerable.Range(0, TrackerBackends).Select(i => tracker.GetOrAdd($"b{i}")).ToArray();
            var leases = new List<(ConnectionLease Lease, bool Finished)>();
            long starts = 0;
            long effectiveFinishes = 0;

            foreach (var op in ops)
            {
                switch (op)
                {
                    case StartOp start:
                        leases.Add((tracker.StartConnection(counters[start.Backend]), false));
                        starts++;
                        break;
                    case FinishOp finish when leases.Count > 0:
                        var index = finish.Lease % leases.Count;
                        if (leases[index].Finished)
                        {
                            break;
                        }

                        var counter = leases[index].Lease.Counter!;
                        var before = counter.Active;
                        tracker.FinishConnection(leases[index].Lease);
                        var drop = before - counter.Active;
                        if (drop is < 0 or > 1)
                        {
                            return false.Label($"finish changed the count by {-drop}");
                        }

                        effectiveFinishes += drop;
                        leases[index] = (leases[index].Lease, true);
                        break;
                    case ReclaimOp:
                        tracker.Reclaim();
                        break;
                    case AdvanceOp advance:
                        time.Advance(TimeSpan.FromMilliseconds(advance.Milliseconds));
                        break;
                }

                if (counters.Any(c => c.Active < 0))
                {
                    return false.Label($"negative count after {op}");
                }

                var total = counters.Sum(c => c.Active);
                if (total != starts - effectiveFinishes - tracker.ReclaimedTotal)
                {
                    return false.Label($"total {total} != {starts} - {effectiveFinishes} - {tracker.ReclaimedTotal} after {op}");
                }
            }

            return true.ToProperty();
        });

    /// <summary>
    /// With reclaim running at least every quarter of the leak timeout (the node's timer) and also at random
    /// moments, and starts landing anywhere between timer ticks, each backend's count stays between the unfinished starts younger than the timeout (never
    /// reclaimed early) and the unfinished starts younger than twice the timeout (leaks do get reclaimed).
    /// </summary>
    [Property(MaxTest = 300, EndSize = 300)]
    public Property StartFinishReclaim_TimerDriven_CountBetweenYoungAndUnfinished() =>
        Prop.ForAll(Ops(600).ToArbitrary(), ops =>
        {
            var time = new FakeTimeProvider();
            var tracker = new ConnectionTracker(time, PropertyLeakTimeout);
            var counters = Enumerable.Range(0, TrackerBackends).Select(i => tracker.GetOrAdd($"b{i}")).ToArray();
            var leases = new List<(int Backend, ConnectionLease Lease, DateTimeOffset StartedAt, bool Finished)>();
            var lastReclaim = time.GetUtcNow();

            foreach (var op in ops)
            {
                switch (op)
                {
                    case StartOp start:
                        leases.Add((start.Backend, tracker.StartConnection(counters[start.Backend]), time.GetUtcNow(), false));
                        break;
                    case FinishOp finish when leases.Count > 0:
                        var index = finish.Lease % leases.Count;
                        if (!leases[index].Finished)
                        {
                            tracker.FinishConnection(leases[index].Lease);
                            leases[index] = leases[index] with { Finished = true };
                        }

                        break;
                    case ReclaimOp:
                        tracker.Reclaim();
                        lastReclaim = time.GetUtcNow();
                        break;
                    case AdvanceOp advance:
                        // The timer fires whenever a quarter of the timeout has passed since the last reclaim, but
                        // not at every clock move: starts in between may carry the epoch before their own.
                        var remaining = TimeSpan.FromMilliseconds(advance.Milliseconds);
                        while (time.GetUtcNow() + remaining - lastReclaim >= TimerPeriod)
                        {
                            var toTimer = lastReclaim + TimerPeriod - time.GetUtcNow();
                            time.Advance(toTimer);
                            remaining -= toTimer;
                            tracker.Reclaim();
                            lastReclaim = time.GetUtcNow();
                        }

                        time.Advance(remaining);
                        break;
                }

                var now = time.GetUtcNow();
                for (var b = 0; b < TrackerBackends; b++)
                {
                    var unfinished = leases.Where(lease => lease.Backend == b && !lease.Finished).ToList();
                    var young = unfinished.Count(lease => now - lease.StartedAt <= PropertyLeakTimeout);
                    var notStale = unfinished.Count(lease => now - lease.StartedAt < PropertyLeakTimeout * 2);
                    var active = counters[b].Active;
                    if (active < young || active > notStale)
                    {
                        return false.Label($"b{b}: count {active} outside [{young}, {notStale}] after {op} at {now - DateTimeOffset.UnixEpoch}");
                    }
                }
            }

            return true.ToProperty();
        });
}
