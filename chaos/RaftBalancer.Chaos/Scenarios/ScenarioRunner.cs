using RaftBalancer.Chaos.Checking;
using RaftBalancer.Chaos.Harness;
using RaftBalancer.Chaos.Workload;

namespace RaftBalancer.Chaos.Scenarios;

/// <summary>Runs a scenario in the proven shape: warm-up → seeded fault cycles → heal → quiesce → final reads on every node → check.</summary>
internal static class ScenarioRunner
{
    /// <summary>Speed target: every node converges this soon after heal (reported, never a violation).</summary>
    public const double ConvergeTargetMs = 5000;

    /// <summary>Liveness: every node must converge within this time after heal, however loaded the box (a violation otherwise).</summary>
    public static readonly TimeSpan ConvergeDeadline = TimeSpan.FromSeconds(60);

    /// <summary>Speed target: GET success rate during a single-node fault.</summary>
    public const double GetSuccessTarget = 0.999;

    /// <summary>Correctness floor under the target: below it the data plane stopped serving during a single-node fault
    /// (each GET has three attempts through three nodes, 3 s each; only a proxy that stops forwarding gets here).</summary>
    public const double GetSuccessFloor = 0.90;

    /// <summary>Gets or sets a value indicating whether every scenario with writes also runs the gRPC admin-write workload (<c>--admin-writes</c>);
    /// scenarios with <see cref="ScenarioDefinition.AdminWrites"/> run it anyway.</summary>
    public static bool AdminWrites { get; set; }

    public static async Task<ScenarioReport> RunAsync(ScenarioDefinition scenario, int seed, TimeSpan faultDuration, Action<string>? log, CancellationToken cancellationToken, bool keepFiles = false)
    {
        var recorder = new Recorder();
        void Log(string what)
        {
            recorder.Event(what);
            log?.Invoke($"[{scenario.Name} +{recorder.NowMs / 1000:0.0}s] {what}");
        }

        Log($"seed {seed}; replay with --scenario {scenario.Name} --seed {seed}");
        var failed = false;
        await using var cluster = await ChaosCluster.StartAsync(scenario.Cluster, cancellationToken, keepFiles: true, log: Log);
        try
        {
            var adminWrites = scenario.Writes && (scenario.AdminWrites || AdminWrites);
            var workload = new ClientWorkload(cluster, recorder, seed) { Writers = scenario.Writes ? 2 : 0 };
            var context = new ScenarioContext(cluster, recorder, workload, seed, faultDuration, cancellationToken, Log);
            using var monitorCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var workloadCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var monitor = new StatusMonitor(cluster, recorder).RunAsync(monitorCts.Token);
            var admin = new AdminWorkload(cluster, recorder, seed);
            var load = Task.WhenAll(workload.RunAsync(workloadCts.Token), adminWrites ? Task.Run(() => admin.RunAsync(workloadCts.Token), CancellationToken.None) : Task.CompletedTask);
            Log("warm-up" + (adminWrites ? " (with admin writes)" : string.Empty));
            await Poll.UntilAsync("warm-up: GETs succeed" + (scenario.Writes ? " and writes are acknowledged" : string.Empty) + (adminWrites ? " and admin writes are acknowledged" : string.Empty), TimeSpan.FromSeconds(30), _ => Task.FromResult(
                recorder.Gets.Count(g => g.Success) >= 10
                && (!scenario.Writes || recorder.History.Count(o => o.Kind == OpKind.Write && o.Outcome == OpOutcome.Ok) >= 3)
                && (!adminWrites || admin.Writes.Any(w => w.Outcome == OpOutcome.Ok))), cancellationToken);

            Log("nemesis on");
            try
            {
                await scenario.Nemesis(context);
            }
            catch (TimeoutException e)
            {
                // A liveness deadline inside the nemesis (no new leader within 30 s, ...): a violation, then heal and check the rest.
                context.Violation("liveness: " + e.Message);
            }

            Log("heal everything");
            await HealEverythingAsync(cluster, cancellationToken);
            var healedAt = recorder.NowMs;

            Log("quiesce");
            await workloadCts.CancelAsync();
            await load;

            var convergeMs = await ConvergeAsync(cluster, recorder, healedAt, context, cancellationToken);
            if (convergeMs is { } converged)
            {
                Log($"converged in {converged:0} ms after heal");
                context.AtMost("converge", converged, ConvergeTargetMs, "ms", "every node on one leader, commit index, revision and routing view after heal");
            }

            var lost = await FinalReadsAsync(cluster, recorder, context, cancellationToken);
            if (adminWrites)
            {
                lost += await CheckAdminWritesAsync(admin, context, cancellationToken);
            }

            if (scenario.AfterHeal is not null)
            {
                try
                {
                    await scenario.AfterHeal(context);
                }
                catch (TimeoutException e)
                {
                    context.Violation("liveness: " + e.Message);
                }
            }

            await monitorCts.CancelAsync();
            await monitor;
            CheckLeaders(recorder, context);
            CheckLinearizable(recorder, context);
            if (!scenario.GetsMayFail && scenario.SingleNodeFault)
            {
                var gets = recorder.Gets.ToList();
                var rate = gets.Count == 0 ? 1 : gets.Count(g => g.Success) / (double)gets.Count;
                context.AtLeast("get-success", rate * 100, GetSuccessTarget * 100, "%", "GET success rate during a single-node fault");
                if (rate < GetSuccessFloor)
                {
                    context.Violation($"GET success rate {rate:P2} during a single-node fault: under the {GetSuccessFloor:P0} floor, the data plane stopped serving");
                }
            }

            foreach (var failedGet in recorder.Gets.Where(g => !g.Success).Take(10))
            {
                Log($"failed GET at {failedGet.StartMs:0} ms first via {failedGet.FirstNode}: {string.Join(", ", failedGet.Trail.Select(a => $"{a.Node} {(a.Answered ? a.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no answer")} after {a.EndMs - a.StartMs:0} ms"))}");
            }

            var report = Report(scenario, seed, recorder, context, convergeMs, lost, cluster.Root);
            failed = !report.Passed;
            return report;
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            Log(failed ? "FAILED; logs kept in " + cluster.Root : "passed");
            await File.WriteAllLinesAsync(Path.Combine(cluster.Root, "events.log"), recorder.Events.Select(e => $"{e.AtMs,10:0.0} {e.What}"), CancellationToken.None);
            if (!failed && !keepFiles)
            {
                cluster.KeepFiles = false;
            }
        }
    }

    private static async Task HealEverythingAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        foreach (var node in cluster.Nodes)
        {
            cluster.Resume(node);
            cluster.Restart(node);
        }

        foreach (var backend in cluster.Backends)
        {
            cluster.RestartBackend(backend);
        }

        await Poll.UntilAsync("every node answers after heal", TimeSpan.FromSeconds(60), async ct =>
            (await Task.WhenAll(cluster.Nodes.Select(n => n.Client.GetRaftAsync(TimeSpan.FromSeconds(1), ct)))).All(s => s is not null), cancellationToken);
        await cluster.HealAsync(cancellationToken);
        foreach (var backend in cluster.Backends)
        {
            await Poll.UntilAsync("backend " + backend.Id + " answers", TimeSpan.FromSeconds(30), async ct =>
            {
                try
                {
                    await cluster.SetBackendAsync(backend, "ok", 0, 2, ct);
                    return true;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, cancellationToken);
        }
    }

    /// <summary>Waits until every node has the same leader, commit index, revision, configuration and routing content, none stale.</summary>
    /// <returns>How long after heal that took, or null (a violation) when it did not happen within <see cref="ConvergeDeadline"/>.</returns>
    private static async Task<double?> ConvergeAsync(ChaosCluster cluster, Recorder recorder, double healedAt, ScenarioContext context, CancellationToken cancellationToken)
    {
        try
        {
            await Poll.UntilAsync("every node converges to one view", ConvergeDeadline, async ct =>
            {
                var raft = await Task.WhenAll(cluster.Nodes.Select(n => n.Client.GetRaftAsync(TimeSpan.FromSeconds(1), ct)));
                var routing = await Task.WhenAll(cluster.Nodes.Select(n => n.Client.GetRoutingAsync(TimeSpan.FromSeconds(1), ct)));
                return raft.All(r => r is not null) && routing.All(r => r is not null)
                    && raft.Select(r => r!.LeaderId).Distinct().Count() == 1 && raft[0]!.LeaderId is not null
                    && raft.Select(r => r!.Revision).Distinct().Count() == 1
                    && raft.Select(r => r!.CommitIndex).Distinct().Count() == 1
                    && routing.All(r => !r!.Stale)
                    && routing.Select(r => r!.ConfigHash).Distinct().Count() == 1
                    && routing.Select(r => r!.ContentHash).Distinct().Count() == 1;
            }, cancellationToken);
        }
        catch (TimeoutException e)
        {
            context.Violation($"liveness: the nodes never converged after heal ({e.Message})");
            return null;
        }

        return recorder.NowMs - healedAt;
    }

    /// <summary>Reads every chaos key on every node; checks they agree, every acknowledged write-once key is present
    /// with its value, and acknowledged writes keep their real-time order in the log (revisions). Returns the lost count.</summary>
    private static async Task<int> FinalReadsAsync(ChaosCluster cluster, Recorder recorder, ScenarioContext context, CancellationToken cancellationToken)
    {
        // Late commits of unanswered writes may still be applying: read every node until all agree (bounded).
        var at = recorder.NowUs;
        var views = new Dictionary<string, Dictionary<string, KvEntry>>(StringComparer.Ordinal);
        var deadline = recorder.NowMs + 30_000;
        while (true)
        {
            at = recorder.NowUs;
            views.Clear();
            foreach (var node in cluster.Nodes)
            {
                if (await node.Client.ListAsync(string.Empty, cancellationToken) is { } list)
                {
                    views[node.Id] = list.ToDictionary(e => e.Key, StringComparer.Ordinal);
                }
            }

            var agree = views.Count == cluster.Nodes.Count && views.Values.All(v => v.Count == views.Values.First().Count && v.All(kv => views.Values.First().TryGetValue(kv.Key, out var e) && e == kv.Value));
            if (agree || recorder.NowMs > deadline)
            {
                break;
            }

            await Task.Delay(200, cancellationToken);
        }

        foreach (var node in cluster.Nodes.Where(n => !views.ContainsKey(n.Id)))
        {
            context.Violation($"final read failed on {node.Id}");
        }

        var done = recorder.NowUs;
        if (views.Count == 0)
        {
            return 0;
        }

        // Same state on every node.
        var reference = views.First();
        foreach (var (nodeId, view) in views.Skip(1))
        {
            var diff = view.Keys.Union(reference.Value.Keys).Where(k => !view.TryGetValue(k, out var a) || !reference.Value.TryGetValue(k, out var b) || a != b).Take(3).ToList();
            if (diff.Count > 0)
            {
                context.Violation($"final state differs between {reference.Key} and {nodeId}: {string.Join(", ", diff)}");
            }
        }

        // Final register reads join the history (after quiescence every node has applied everything).
        foreach (var (nodeId, view) in views)
        {
            foreach (var key in recorder.History.Select(o => o.Key).Distinct())
            {
                recorder.History.Enqueue(new HistoryOp(recorder.NextId(), "final-" + nodeId, key, OpKind.Read, view.TryGetValue(key, out var e) ? e.Value : null, at, done, OpOutcome.Ok));
            }
        }

        var lost = 0;
        var acked = recorder.UniqueWrites.Where(w => w.Outcome == OpOutcome.Ok).OrderBy(w => w.CompletedAt).ToList();
        foreach (var (nodeId, view) in views)
        {
            foreach (var write in acked)
            {
                if (!view.TryGetValue(write.Key, out var entry) || entry.Value != write.Value)
                {
                    lost++;
                    if (lost <= 3)
                    {
                        context.Violation($"acknowledged write {write.Key} (through {write.Node}) is missing or wrong on {nodeId}");
                    }
                }
            }

            foreach (var write in recorder.UniqueWrites.Where(w => w.Outcome == OpOutcome.Fail))
            {
                if (view.ContainsKey(write.Key))
                {
                    context.Violation($"write {write.Key} answered as refused is present on {nodeId}");
                    break;
                }
            }

            // Real-time order: a write acknowledged before another was invoked has a lower revision.
            var byInvoke = acked.Where(w => view.ContainsKey(w.Key)).OrderBy(w => w.InvokedAt).ToList();
            var maxRevisionBefore = long.MinValue;
            var completedIndex = 0;
            var byComplete = byInvoke.OrderBy(w => w.CompletedAt).ToList();
            foreach (var write in byInvoke)
            {
                while (completedIndex < byComplete.Count && byComplete[completedIndex].CompletedAt < write.InvokedAt)
                {
                    maxRevisionBefore = Math.Max(maxRevisionBefore, view[byComplete[completedIndex].Key].Revision);
                    completedIndex++;
                }

                if (view[write.Key].Revision <= maxRevisionBefore)
                {
                    context.Violation($"acknowledged writes out of order on {nodeId}: {write.Key} at revision {view[write.Key].Revision} after an earlier-acknowledged write at {maxRevisionBefore}");
                    break;
                }
            }
        }

        return lost / Math.Max(1, views.Count) + (lost % Math.Max(1, views.Count) > 0 ? 1 : 0);
    }

    /// <summary>Every acknowledged admin write is visible, as the last word on its backend, on every node; at least one id must be checkable.</summary>
    private static async Task<int> CheckAdminWritesAsync(AdminWorkload admin, ScenarioContext context, CancellationToken cancellationToken)
    {
        var configs = await admin.FinalConfigsAsync(TimeSpan.FromSeconds(10), cancellationToken);
        foreach (var node in context.Cluster.Nodes.Where(n => !configs.ContainsKey(n.Id)))
        {
            context.Violation($"final admin ListBackends failed on {node.Id}");
        }

        var lost = 0;
        var expectations = admin.Expectations().ToList();
        foreach (var (id, weight, last) in expectations)
        {
            foreach (var (nodeId, config) in configs)
            {
                var present = config.TryGetValue(id, out var actual);
                if (weight is null ? present : !present || actual != weight)
                {
                    lost++;
                    context.Violation($"acknowledged admin {last.Kind} of {id} (weight {last.Weight}, through {last.Node}) not visible on {nodeId}: {(present ? "weight " + actual : "absent")}");
                    break;
                }
            }
        }

        foreach (var (refused, added) in admin.StaleRefusals().Take(3))
        {
            context.Violation($"admin {refused.Kind} of {refused.BackendId} through {refused.Node} answered NOT_FOUND at {refused.InvokedAt / 1000.0:0} ms although its add (through {added.Node}) was acknowledged at {added.CompletedAt / 1000.0:0} ms and it was never removed: a linearizable read missed an acknowledged write");
        }

        var acked = admin.Writes.Count(w => w.Outcome == OpOutcome.Ok);
        context.Log($"admin writes: {acked} acknowledged of {admin.Writes.Count} ({admin.Breakdown()}); {expectations.Count} backend ids checked on every node");
        context.Sample("admin-acked", acked);
        context.Sample("admin-ids-checked", expectations.Count);
        if (expectations.Count == 0)
        {
            // The check would be empty: the admin API acknowledged nothing usable during the run.
            context.Violation($"admin writes: no backend id had only answered calls, nothing could be checked ({admin.Writes.Count} calls: {admin.Breakdown()})");
        }

        return lost;
    }

    private static void CheckLeaders(Recorder recorder, ScenarioContext context)
    {
        foreach (var term in recorder.Raft.Where(s => s.Sample.IsLeader).GroupBy(s => s.Sample.Term))
        {
            var leaders = term.Select(s => s.Sample.NodeId).Distinct().ToList();
            if (leaders.Count > 1)
            {
                context.Violation($"two leaders in term {term.Key}: {string.Join(", ", leaders)}");
            }
        }
    }

    private static void CheckLinearizable(Recorder recorder, ScenarioContext context)
    {
        var result = LinearizabilityChecker.Check(recorder.History.ToList());
        foreach (var violation in result.Violations)
        {
            context.Violation($"history of {violation.Key} is not linearizable: {violation.Explanation}");
        }

        foreach (var inconclusive in result.Keys.Where(k => k.Inconclusive))
        {
            context.Log($"linearizability of {inconclusive.Key} inconclusive after {inconclusive.StatesExplored} states");
        }
    }

    private static ScenarioReport Report(ScenarioDefinition scenario, int seed, Recorder recorder, ScenarioContext context, double? convergeMs, int lost, string root)
    {
        var gets = recorder.Gets.ToList();
        var during = context.FaultWindows.Count == 0 ? gets : gets.Where(g => context.FaultWindows.Any(w => g.StartMs >= w.From && g.StartMs <= w.To)).ToList();
        var latencies = (during.Count > 0 ? during : gets).Select(g => g.LatencyMs).Order().ToList();
        var p99 = latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(latencies.Count * 0.99) - 1)];
        double? Median(string name) => context.Samples.TryGetValue(name, out var v) && v.Count > 0 ? v.Order().ElementAt(v.Count / 2) : null;
        double? Max(string name) => context.Samples.TryGetValue(name, out var v) && v.Count > 0 ? v.Max() : null;
        return new ScenarioReport(
            scenario.Name,
            seed,
            recorder.NowMs / 1000,
            gets.Count == 0 ? 1 : gets.Count(g => g.Success) / (double)gets.Count,
            gets.Count,
            gets.Count(g => !g.Success),
            p99,
            Median("elect"),
            Max("exclusion"),
            convergeMs,
            recorder.UniqueWrites.Count(w => w.Outcome == OpOutcome.Ok) + recorder.History.Count(o => o.Kind == OpKind.Write && o.Outcome == OpOutcome.Ok),
            lost,
            recorder.History.Count,
            context.Samples,
            [.. context.Violations],
            [.. context.TargetsMissed],
            root);
    }
}
