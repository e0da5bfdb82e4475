using RaftBalancer.Chaos.Checking;
using RaftBalancer.Chaos.Harness;

namespace RaftBalancer.Chaos.Scenarios;

/// <summary>Every scenario: the short CI matrix and the longer ones that only <c>--scenario all</c> runs.</summary>
/// <remarks>Correctness (safety, and liveness with generous deadlines) is a <see cref="ScenarioContext.Violation"/>; speed is a
/// target (<see cref="ScenarioContext.AtMost"/>, <see cref="ScenarioContext.AtLeast"/>), measured and reported, never a verdict.
/// The backend scenarios are in <c>Catalog.Backends.cs</c>.</remarks>
internal static partial class Catalog
{
    /// <summary>Speed target: a killed leader is replaced in well under a second on loopback (docs/ARCHITECTURE.md, "Raft setup").</summary>
    public const double NewLeaderTargetMs = 1000;

    /// <summary>Liveness deadline for anything the cluster must eventually do (exclude a dead backend, notice a lost leader, ...).</summary>
    public static readonly TimeSpan LivenessDeadline = TimeSpan.FromSeconds(30);

    /// <summary>How long a client waits for a write whose outcome (not its speed) is checked.</summary>
    public static readonly TimeSpan PatientWrite = TimeSpan.FromSeconds(15);

    private static readonly ClusterOptions Three = new();
    private static readonly ClusterOptions Five = new() { Nodes = 5 };

    public static IReadOnlyList<ScenarioDefinition> All { get; } =
    [
        new("leader-kill", true, Three, LeaderKillAsync) { SingleNodeFault = true, AdminWrites = true },
        new("follower-kill-restart", true, Three, FollowerKillAsync) { SingleNodeFault = true, AdminWrites = true },
        new("kill-during-write-burst", true, Three, KillDuringBurstAsync) { SingleNodeFault = true },
        new("leader-isolation", true, Three, LeaderIsolationAsync) { SingleNodeFault = true },
        new("minority-partition", true, Three, MinorityPartitionAsync) { SingleNodeFault = true },
        new("one-way-cut", true, Three, OneWayCutAsync) { SingleNodeFault = true },
        new("paused-leader", true, Three, PausedLeaderAsync) { SingleNodeFault = true },
        new("start-all-at-once", true, Three, StartAllAtOnceAsync),
        new("entry-size-sweep", true, Three with { SegmentSize = 64 * 1024, SnapshotInterval = 200 }, EntrySizeSweepAsync),
        new("flapping-backend", true, Three, FlappingBackendAsync, FlappingChecksAsync) { Writes = false },
        new("dead-backend", true, Three, DeadBackendAsync) { Writes = false },
        new("all-backends-down", true, Three, AllBackendsDownAsync) { Writes = false, GetsMayFail = true },
        new("slow-backend", true, Three, SlowBackendAsync) { Writes = false },
        new("rate-limited-backend", true, Three, RateLimitedBackendAsync) { Writes = false },
        new("random-halves-5", false, Five, RandomHalvesAsync),
        new("bridge-5", false, Five, BridgeAsync),
        new("majorities-ring-5", false, Five, MajoritiesRingAsync),
        new("peer-latency-5", false, Five, PeerLatencyAsync),
        new("soak-one-down", false, Three, SoakOneDownAsync),
    ];

    /// <summary>Gets the deliberately broken variant: nodes acknowledge writes before commit; the checker must catch it.</summary>
    public static ScenarioDefinition BrokenAckBeforeCommit { get; } = new("broken-ack-before-commit", false, Three with { AckBeforeCommit = true }, BrokenAckAsync);

    public static ScenarioDefinition Get(string name) => name == BrokenAckBeforeCommit.Name ? BrokenAckBeforeCommit :
        All.SingleOrDefault(s => s.Name == name) ?? throw new ArgumentException($"unknown scenario '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}");

    private static async Task BrokenAckAsync(ScenarioContext c)
    {
        // Writes through a node cut off from the majority are "acknowledged" at once, then never commit.
        var leader = await c.LeaderAsync();
        var minority = c.Cluster.Nodes.First(n => n != leader);
        await c.Cluster.PartitionAsync([minority], c.Cluster.Nodes.Where(n => n != minority).ToList(), c.CancellationToken);
        for (var i = 0; i < 5; i++)
        {
            await c.Workload.WriteUniqueAsync(minority, 16, c.CancellationToken);
            await c.Workload.WriteRegisterAsync(minority, "broken", 0, c.CancellationToken);
        }

        // Hold the partition past the store's write timeout so the background proposals give up.
        await Task.Delay(4500, c.CancellationToken);
        await c.Cluster.HealAsync(c.CancellationToken);
    }

    private static async Task LeaderKillAsync(ScenarioContext c)
    {
        ChaosNode? victim = null;
        await c.CyclesAsync(
            async () =>
            {
                victim = await c.LeaderAsync();
                var at = c.Recorder.NowMs;
                c.Cluster.Kill(victim);
                var elect = await c.NewLeaderAsync(victim.Id, at);
                c.Sample("elect", elect);
                c.AtMost("new-leader", elect, NewLeaderTargetMs, "ms", $"every node agrees on a new leader after SIGKILL of leader {victim.Id}");
                c.Log($"new leader {elect:0} ms after SIGKILL of {victim.Id}");
            },
            async () =>
            {
                c.Cluster.Restart(victim!);
                await WaitAnswersAsync(c, victim!);
            });
    }

    private static async Task FollowerKillAsync(ScenarioContext c)
    {
        ChaosNode? victim = null;
        await c.CyclesAsync(
            async () =>
            {
                var leader = await c.LeaderAsync();
                var followers = c.Cluster.Nodes.Where(n => n != leader).ToList();
                victim = followers[c.Random.Next(followers.Count)];
                c.Cluster.Kill(victim);
            },
            async () =>
            {
                c.Cluster.Restart(victim!);
                await WaitAnswersAsync(c, victim!);
                await WaitCaughtUpAsync(c, victim!);
            });
    }

    private static async Task KillDuringBurstAsync(ScenarioContext c)
    {
        ChaosNode? victim = null;
        await c.CyclesAsync(
            async () =>
            {
                using var burstCts = new CancellationTokenSource();
                var burst = Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
                {
                    while (!burstCts.IsCancellationRequested)
                    {
                        var node = c.Cluster.Nodes[(i + Environment.TickCount) % c.Cluster.Nodes.Count];
                        if (node.Running && !node.Paused)
                        {
                            await c.Workload.WriteUniqueAsync(node, 512, c.CancellationToken);
                        }
                    }
                })));
                await Poll.UntilAsync("burst under way", TimeSpan.FromSeconds(10), _ => Task.FromResult(c.Recorder.UniqueWrites.Count(w => w.Outcome == OpOutcome.Ok) > 20), c.CancellationToken);
                victim = c.Random.Next(2) == 0 ? await c.LeaderAsync() : c.Cluster.Nodes[c.Random.Next(c.Cluster.Nodes.Count)];
                c.Cluster.Kill(victim);
                await Task.Delay(500, c.CancellationToken);
                await burstCts.CancelAsync();
                await burst;
            },
            async () =>
            {
                // The WAL replays: the restarted node must come back with every acknowledged write (checked at the end).
                c.Cluster.Restart(victim!);
                await WaitAnswersAsync(c, victim!);
                await WaitCaughtUpAsync(c, victim!);
            },
            minOnMs: 200,
            maxOnMs: 600);
    }

    private static async Task LeaderIsolationAsync(ScenarioContext c)
    {
        await c.CyclesAsync(
            async () =>
            {
                var leader = await c.LeaderAsync();
                var rest = c.Cluster.Nodes.Where(n => n != leader).ToList();
                var at = c.Recorder.NowMs;
                await c.Cluster.PartitionAsync([leader], rest, c.CancellationToken);
                var elect = await c.NewLeaderAsync(leader.Id, at, rest);
                c.Sample("elect", elect);
                c.AtMost("new-leader", elect, NewLeaderTargetMs, "ms", $"the majority agrees on a new leader after isolating leader {leader.Id}");
            },
            () => c.Cluster.HealAsync(c.CancellationToken));
    }

    private static async Task MinorityPartitionAsync(ScenarioContext c)
    {
        var electionMs = c.Cluster.Options.ElectionUpperMs;
        ChaosNode? minority = null;
        var cutFrom = 0.0;
        await c.CyclesAsync(
            async () =>
            {
                var leader = await c.LeaderAsync();
                var followers = c.Cluster.Nodes.Where(n => n != leader).ToList();
                minority = followers[c.Random.Next(followers.Count)];
                await c.Cluster.PartitionAsync([minority], c.Cluster.Nodes.Where(n => n != minority).ToList(), c.CancellationToken);

                // Liveness: the minority notices it lost the leader.
                await Poll.UntilAsync(minority.Id + " notices it lost the leader", LivenessDeadline, async ct => await minority.Client.GetRaftAsync(TimeSpan.FromSeconds(1), ct) is { LeaderId: null }, c.CancellationToken);
                cutFrom = c.Recorder.NowMs;

                // Its writes must fail: not succeed (no majority), not hang (the client waits 15 s). How fast is a target.
                for (var i = 0; i < 3; i++)
                {
                    var start = c.Recorder.NowMs;
                    var write = await c.Workload.WriteUniqueAsync(minority, 16, c.CancellationToken, PatientWrite);
                    var took = c.Recorder.NowMs - start;
                    c.Sample("minority-write-fail-ms", took);
                    if (write.Outcome == OpOutcome.Ok)
                    {
                        c.Violation($"minority write {write.Key} on {minority.Id} was acknowledged without a majority ({took:0} ms)");
                    }
                    else if (write.Outcome == OpOutcome.Unknown)
                    {
                        c.Violation($"minority write {write.Key} on {minority.Id} was not refused: no 503 within {PatientWrite.TotalSeconds:0} s (it hung or answered as if it might commit)");
                    }
                    else
                    {
                        c.AtMost("minority-write-fail", took, 2 * electionMs, "ms", $"write through the minority {minority.Id} refused");
                    }
                }

                // It says it is stale and keeps forwarding traffic: losing quorum makes the view stale, not the proxy unavailable.
                try
                {
                    await Poll.UntilAsync(minority.Id + " reports itself stale", TimeSpan.FromSeconds(15), async ct => await minority.Client.GetRoutingAsync(TimeSpan.FromSeconds(1), ct) is { Stale: true }, c.CancellationToken);
                }
                catch (TimeoutException)
                {
                    c.Violation($"minority node {minority.Id} does not report itself stale within 15 s");
                }

                var (status, _) = await c.Workload.GetOnceAsync(minority, "/chaos/minority", TimeSpan.FromSeconds(10), c.CancellationToken);
                if (status is < 200 or >= 300)
                {
                    c.Violation($"minority node {minority.Id} stopped forwarding: {(status == 0 ? "no answer within 10 s" : "HTTP " + status)}");
                }
            },
            () =>
            {
                // Every client GET the minority answered while cut off (the whole hold, up to now) was forwarded.
                var through = c.Recorder.Gets.SelectMany(g => g.Trail).Where(a => a.Node == minority!.Id && a.StartMs >= cutFrom && a.Answered).ToList();
                var errors = through.Where(a => a.Status is < 200 or >= 300).ToList();
                c.Sample("minority-forwarded", through.Count - errors.Count);
                if (errors.Count > 0)
                {
                    c.Violation($"minority node {minority!.Id} answered {errors.Count} of {through.Count} GETs with an error while cut off (first HTTP {errors[0].Status}): it must keep forwarding with its last view");
                }

                return c.Cluster.HealAsync(c.CancellationToken);
            });
    }

    private static async Task OneWayCutAsync(ScenarioContext c)
    {
        await c.CyclesAsync(
            async () =>
            {
                var leader = await c.LeaderAsync();
                var followers = c.Cluster.Nodes.Where(n => n != leader).ToList();
                var follower = followers[c.Random.Next(followers.Count)];
                var (from, to) = c.Random.Next(2) == 0 ? (leader, follower) : (follower, leader);
                await c.Cluster.SetLinkAsync(from, to, "drop", 0, c.CancellationToken);
                c.Log($"one-way cut {from.Id} -> {to.Id}");
            },
            () => c.Cluster.HealAsync(c.CancellationToken));
    }

    private static async Task PausedLeaderAsync(ScenarioContext c)
    {
        ChaosNode? paused = null;
        await c.CyclesAsync(
            async () =>
            {
                paused = await c.LeaderAsync();
                var at = c.Recorder.NowMs;
                c.Cluster.Pause(paused);
                c.Sample("elect", await c.NewLeaderAsync(paused.Id, at));
            },
            async () =>
            {
                // Write through the new majority, resume the old leader and read from it at once: it must not serve the old value.
                var other = c.Cluster.Nodes.First(n => n != paused && n.Running);
                await c.Workload.WriteRegisterAsync(other, "probe-w", 0, c.CancellationToken);
                c.Cluster.Resume(paused!);
                await c.Workload.ReadRegisterAsync(paused!, "probe-r", 0, c.CancellationToken);
            },
            minOnMs: 1500,
            maxOnMs: 3000);
    }

    private static async Task StartAllAtOnceAsync(ScenarioContext c)
    {
        // The cluster was started all at once; over the fault duration the leader must stay the same one.
        var first = await c.LeaderAsync();
        var end = c.Recorder.NowMs + Math.Min(c.FaultDuration.TotalMilliseconds, 8000);
        while (c.Recorder.NowMs < end)
        {
            if (await c.Cluster.AgreedLeaderAsync(c.CancellationToken) is { } leader && leader != first.Id)
            {
                c.Violation($"leader changed from {first.Id} to {leader} with no fault");
                return;
            }

            await Task.Delay(100, c.CancellationToken);
        }

        var terms = c.Recorder.Raft.Select(s => s.Sample.Term).Distinct().Count();
        c.Log($"terms seen: {terms}");
    }

    private static async Task EntrySizeSweepAsync(ScenarioContext c)
    {
        // Segment size is 64 KiB: entries from tiny to more than a segment, around the boundaries, then a restart replays the WAL.
        int[] sizes = [1, 100, 4095, 4096, 4097, 16_384, 32_767, 32_768, 65_000, 65_535, 65_536, 65_537, 100_000, 131_072, 200_000];
        var end = c.Recorder.NowMs + c.FaultDuration.TotalMilliseconds;
        var round = 0;
        while (c.Recorder.NowMs < end && round < 3)
        {
            foreach (var size in sizes)
            {
                // Every size must commit; a try that timed out (the box is slow) is tried again with a fresh key, up to 3 tries.
                var outcomes = new List<string>();
                var acked = false;
                for (var attempt = 0; attempt < 3 && !acked; attempt++)
                {
                    var node = c.Cluster.Nodes[c.Random.Next(c.Cluster.Nodes.Count)];
                    var start = c.Recorder.NowMs;
                    var write = await c.Workload.WriteUniqueAsync(node, size, c.CancellationToken, PatientWrite);
                    outcomes.Add($"{write.Outcome} via {node.Id} after {c.Recorder.NowMs - start:0} ms");
                    acked = write.Outcome == OpOutcome.Ok;
                }

                if (outcomes.Count > 1)
                {
                    c.Log($"entry of {size} bytes: {string.Join("; ", outcomes)}");
                }

                if (!acked)
                {
                    c.Violation($"entry of {size} bytes was never acknowledged with no fault ({string.Join("; ", outcomes)})");
                }
            }

            var victim = c.Cluster.Nodes[c.Random.Next(c.Cluster.Nodes.Count)];
            c.Cluster.Kill(victim);
            c.Cluster.Restart(victim);
            await WaitAnswersAsync(c, victim);
            await WaitCaughtUpAsync(c, victim);
            round++;
        }
    }

    private static async Task RandomHalvesAsync(ScenarioContext c)
    {
        await c.CyclesAsync(
            async () =>
            {
                var shuffled = c.Cluster.Nodes.OrderBy(_ => c.Random.Next()).ToList();
                var cut = c.Random.Next(1, shuffled.Count);
                await c.Cluster.PartitionAsync(shuffled.Take(cut).ToList(), shuffled.Skip(cut).ToList(), c.CancellationToken);
            },
            () => c.Cluster.HealAsync(c.CancellationToken));
    }

    private static async Task BridgeAsync(ScenarioContext c)
    {
        await c.CyclesAsync(
            async () =>
            {
                // Two halves sharing one node: {a, b, bridge} and {bridge, d, e}.
                var s = c.Cluster.Nodes.OrderBy(_ => c.Random.Next()).ToList();
                await c.Cluster.PartitionAsync([s[0], s[1], s[2]], [s[2], s[3], s[4]], c.CancellationToken);
                c.Log("bridge " + s[2].Id);
            },
            () => c.Cluster.HealAsync(c.CancellationToken));
    }

    private static async Task MajoritiesRingAsync(ScenarioContext c)
    {
        await c.CyclesAsync(
            async () =>
            {
                // Each node sees only its two ring neighbours: every node is in a majority of 3, no two majorities agree.
                var s = c.Cluster.Nodes.OrderBy(_ => c.Random.Next()).ToList();
                for (var i = 0; i < s.Count; i++)
                {
                    for (var j = 0; j < s.Count; j++)
                    {
                        var distance = Math.Min(Math.Abs(i - j), s.Count - Math.Abs(i - j));
                        if (i != j && distance > 1)
                        {
                            await c.Cluster.SetLinkAsync(s[i], s[j], "drop", 0, c.CancellationToken);
                        }
                    }
                }

                c.Log("majorities ring " + string.Join("-", s.Select(n => n.Id)));
            },
            () => c.Cluster.HealAsync(c.CancellationToken));
    }

    private static async Task PeerLatencyAsync(ScenarioContext c)
    {
        await c.CyclesAsync(
            async () =>
            {
                var delay = c.Random.Next(20, 120);
                foreach (var a in c.Cluster.Nodes)
                {
                    foreach (var b in c.Cluster.Nodes.Where(b => b != a))
                    {
                        await c.Cluster.SetLinkAsync(a, b, "delay", delay, c.CancellationToken);
                    }
                }

                c.Log($"latency {delay} ms on every peer link");
            },
            () => c.Cluster.HealAsync(c.CancellationToken));
    }

    private static async Task SoakOneDownAsync(ScenarioContext c)
    {
        var leader = await c.LeaderAsync();
        var down = c.Cluster.Nodes.First(n => n != leader);
        c.Cluster.Kill(down);
        var up = c.Cluster.Nodes.Where(n => n != down).ToList();
        var first = await Task.WhenAll(up.Select(n => n.Client.GetRaftAsync(TimeSpan.FromSeconds(2), c.CancellationToken)));
        var start = c.Recorder.NowMs;
        var lastRevision = first.Max(s => s?.Revision ?? 0);
        var lastAdvance = start;
        while (c.Recorder.NowMs - start < c.FaultDuration.TotalMilliseconds)
        {
            await Task.Delay(1000, c.CancellationToken);
            var now = await Task.WhenAll(up.Select(n => n.Client.GetRaftAsync(TimeSpan.FromSeconds(2), c.CancellationToken)));
            var revision = now.Max(s => s?.Revision ?? 0);
            if (revision > lastRevision)
            {
                lastRevision = revision;
                lastAdvance = c.Recorder.NowMs;
            }
            else if (c.Recorder.NowMs - lastAdvance > 5000)
            {
                c.AtMost("applied-stall", c.Recorder.NowMs - lastAdvance, 5000, "ms", $"applied index stalled at revision {revision} with one node down");
                lastAdvance = c.Recorder.NowMs;
            }
        }

        if (lastRevision <= first.Max(s => s?.Revision ?? 0))
        {
            c.Violation($"liveness: the applied revision never advanced in {(c.Recorder.NowMs - start) / 1000:0} s with one node down and writes going on");
        }

        var last = await Task.WhenAll(up.Select(n => n.Client.GetRaftAsync(TimeSpan.FromSeconds(2), c.CancellationToken)));
        var hours = (c.Recorder.NowMs - start) / 3_600_000;
        for (var i = 0; i < up.Count; i++)
        {
            if (first[i] is { } a && last[i] is { } b)
            {
                c.Sample("mem-growth-mb-per-hour", (b.WorkingSetBytes - a.WorkingSetBytes) / 1048576.0 / hours);
                c.Log($"{up[i].Id}: working set {a.WorkingSetBytes / 1048576.0:0.0} → {b.WorkingSetBytes / 1048576.0:0.0} MiB, managed {a.ManagedBytes / 1048576.0:0.0} → {b.ManagedBytes / 1048576.0:0.0} MiB");
            }
        }
    }

    private static async Task<long> RevisionAsync(ScenarioContext c)
    {
        var samples = await Task.WhenAll(c.Cluster.Nodes.Select(n => n.Client.GetRaftAsync(TimeSpan.FromSeconds(2), c.CancellationToken)));
        return samples.Max(s => s?.Revision ?? 0);
    }

    private static Task WaitAnswersAsync(ScenarioContext c, ChaosNode node) =>
        Poll.UntilAsync(node.Id + " answers after restart", TimeSpan.FromSeconds(60), async ct => await node.Client.GetRaftAsync(TimeSpan.FromSeconds(1), ct) is not null, c.CancellationToken);

    private static Task WaitCaughtUpAsync(ScenarioContext c, ChaosNode node) =>
        Poll.UntilAsync(node.Id + " caught up", TimeSpan.FromSeconds(30), async ct =>
        {
            var leaderId = await c.Cluster.AgreedLeaderAsync(ct);
            if (leaderId is null)
            {
                return false;
            }

            var leader = await c.Cluster.Node(leaderId).Client.GetRaftAsync(TimeSpan.FromSeconds(1), ct);
            var self = await node.Client.GetRaftAsync(TimeSpan.FromSeconds(1), ct);
            return leader is not null && self is not null && self.CommitIndex >= leader.CommitIndex - 5;
        }, c.CancellationToken);
}
