using System.Collections.Concurrent;
using RaftBalancer.Chaos.Harness;
using RaftBalancer.Chaos.Workload;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Chaos.Scenarios;

/// <summary>The backend scenarios: flapping, dead, all down, slow and hanging, rate limited (429).</summary>
internal static partial class Catalog
{
    /// <summary>A slow backend's extra latency: well under the activity timeout, so slow is not failing.</summary>
    private const int SlowDelayMs = 250;

    /// <summary>A hanging backend's latency: far past the activity timeout (the node gives up first).</summary>
    private const int HangDelayMs = 20_000;

    /// <summary>The Retry-After a rate-limited backend sends, in seconds.</summary>
    private const int RetryAfterSeconds = 3;

    private static async Task FlappingBackendAsync(ScenarioContext c)
    {
        var flapping = c.Cluster.Backends[0];
        var revisionBefore = await RevisionAsync(c);
        var start = c.Recorder.NowMs;

        // About 30 % of the time failing (500s), in short random bursts.
        var end = start + c.FaultDuration.TotalMilliseconds;
        while (c.Recorder.NowMs < end)
        {
            await c.Cluster.SetBackendAsync(flapping, "fail", cancellationToken: c.CancellationToken);
            await Task.Delay(c.Random.Next(300, 900), c.CancellationToken);
            await c.Cluster.SetBackendAsync(flapping, "ok", cancellationToken: c.CancellationToken);
            await Task.Delay(c.Random.Next(700, 2100), c.CancellationToken);
        }

        var minutes = (c.Recorder.NowMs - start) / 60_000;
        var entries = await RevisionAsync(c) - revisionBefore;
        var perMinute = entries / minutes;
        c.Sample("raft-entries-per-min", perMinute);

        // Health is debounced to one change per probe interval per node, load reports to one per interval per node.
        var bound = c.Cluster.Options.Nodes * (60_000.0 / c.Cluster.Options.ProbeIntervalMs) * c.Cluster.Backends.Count + (c.Cluster.Options.Nodes * 120 * 2);
        c.Log($"flapping: {entries} Raft entries in {minutes * 60:0} s ({perMinute:0}/min, bound {bound:0}/min)");
        c.AtMost("raft-entries-per-min", perMinute, bound, "/min", "Raft entries while a backend flaps (health writes debounced to one per probe interval per node)");
    }

    private static Task FlappingChecksAsync(ScenarioContext c)
    {
        var flapping = c.Cluster.Backends[0].Id;
        var stable = c.Cluster.Backends[1].Id;
        int Transitions(string backend) => c.Recorder.Routing
            .GroupBy(s => s.Sample.NodeId)
            .Sum(g => g.OrderBy(s => s.AtMs).Select(s => s.Sample.Backends.FirstOrDefault(b => b.Id == backend)?.Routable ?? false)
                .Aggregate((Last: (bool?)null, Count: 0), (acc, routable) => (routable, acc.Last is { } last && last != routable ? acc.Count + 1 : acc.Count)).Count);
        var flaps = Transitions(flapping);
        var steady = Transitions(stable);
        c.Sample("flapping-transitions", flaps);
        c.Sample("stable-transitions", steady);
        if (flaps <= steady)
        {
            c.Violation($"flapping backend shows {flaps} routing transitions, the stable one {steady}");
        }

        var dropped = c.Recorder.Routing.Where(s => s.Sample.Backends.Any(b => b.Id == stable && !b.Routable)).Select(s => s.Sample.NodeId).Distinct().ToList();
        if (dropped.Count > 0)
        {
            c.Violation($"stable backend {stable} left routing on {string.Join(", ", dropped)}");
        }

        return Task.CompletedTask;
    }

    private static async Task DeadBackendAsync(ScenarioContext c)
    {
        var target = c.Cluster.Options.FailureThreshold * c.Cluster.Options.ProbeIntervalMs + 1000;
        await c.CyclesAsync(
            async () =>
            {
                var victim = c.Cluster.Backends[c.Random.Next(c.Cluster.Backends.Count)];
                var at = c.Recorder.NowMs;
                c.Cluster.KillBackend(victim);

                // Liveness: every node excludes it (30 s); how fast is a target.
                try
                {
                    await Poll.UntilAsync($"{victim.Id} excluded on every node", LivenessDeadline, async ct =>
                        (await Task.WhenAll(c.Cluster.Nodes.Select(n => n.Client.GetRoutingAsync(TimeSpan.FromSeconds(1), ct))))
                            .All(r => r is not null && r.Backends.Any(b => b.Id == victim.Id && !b.Routable)), c.CancellationToken);
                }
                catch (TimeoutException)
                {
                    c.Violation($"liveness: dead backend {victim.Id} not excluded on every node within {LivenessDeadline.TotalSeconds:0} s");
                    return;
                }

                var took = c.Recorder.NowMs - at;
                c.Sample("exclusion", took);
                c.AtMost("exclusion", took, target, "ms", $"dead backend {victim.Id} excluded on every node (FailureThreshold × interval + 1 s)");

                // After detection, no node routes to it while it stays down: routing polls sent after detection (the monitor's
                // poll times out after 500 ms, so one answered later than that was sent after it).
                var checkFrom = c.Recorder.NowMs;
                await Task.Delay(1500, c.CancellationToken);
                var back = c.Recorder.Routing.Where(s => s.AtMs > checkFrom + 500 && s.Sample.Backends.Any(b => b.Id == victim.Id && b.Routable)).Select(s => s.Sample.NodeId).Distinct().ToList();
                if (back.Count > 0)
                {
                    c.Violation($"dead backend {victim.Id} routed again by {string.Join(", ", back)} after detection");
                }
            },
            () =>
            {
                foreach (var backend in c.Cluster.Backends)
                {
                    c.Cluster.RestartBackend(backend);
                }

                return Task.CompletedTask;
            });
    }

    private static async Task AllBackendsDownAsync(ScenarioContext c)
    {
        foreach (var backend in c.Cluster.Backends)
        {
            await c.Cluster.SetBackendAsync(backend, "fail", cancellationToken: c.CancellationToken);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var node in c.Cluster.Nodes)
        {
            await Poll.UntilAsync(node.Id + " answers 503 with Retry-After", LivenessDeadline, async ct =>
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(node.ProxyUrl + "/chaos/down"), ct);
                    return (int)response.StatusCode == 503 && response.Headers.RetryAfter is not null;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, c.CancellationToken);
        }

        c.Log("every node answers 503 with Retry-After");
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(3000, c.FaultDuration.TotalMilliseconds)), c.CancellationToken);
    }

    /// <summary>One backend turns slow (every answer 250 ms late), then hangs (answers long after the activity timeout), then recovers.</summary>
    /// <remarks>Slow is not failing (the readiness probe is not delayed, answers arrive within the activity timeout: the backend
    /// keeps its place and its breaker stays closed); a backend that hangs costs each request at most one retry on another backend (GETs),
    /// never the client an error, and after <c>MinRequestsToTrip</c> timeouts in a row a node's own breaker removes it for that node at once;
    /// once it answers again the breaker's trial succeeds and every node routes to it again. p99 during each phase is reported.</remarks>
    private static async Task SlowBackendAsync(ScenarioContext c)
    {
        var ct = c.CancellationToken;
        var options = c.Cluster.Options;
        var nodes = c.Cluster.Nodes;
        var victim = c.Cluster.Backends[c.Random.Next(c.Cluster.Backends.Count)];
        var phaseMs = (int)Math.Max(3000, c.FaultDuration.TotalMilliseconds / 2);
        await using var watch = StatusWatch.Start(c.Cluster, c.Recorder, ct);

        // 1. Slow.
        var slowFrom = c.Recorder.NowMs;
        await c.Cluster.SetBackendAsync(victim, "ok", SlowDelayMs, cancellationToken: ct);
        await Task.Delay(phaseMs, ct);
        var slowTo = c.Recorder.NowMs;
        c.FaultWindows.Add((slowFrom, slowTo));
        foreach (var node in nodes)
        {
            if (watch.Of(node.Id, slowFrom).FirstOrDefault(s => s.AtMs <= slowTo && s.Sample.Backend(victim.Id) is { Routable: false }) is { Sample: { } dropped })
            {
                var b = dropped.Backend(victim.Id)!;
                c.Violation($"slow backend {victim.Id} left routing on {node.Id} ({b.Reason}, breaker {b.Breaker}) although it answered every request within the activity timeout");
            }
        }

        var slowAttempts = AnsweredAttempts(c, slowFrom, slowTo).ToList();
        var servedSlow = slowAttempts.Where(a => a.Backend == victim.Id && a.Status is >= 200 and < 300).Select(a => a.EndMs - a.StartMs).Order().ToList();
        if (servedSlow.Count == 0)
        {
            c.Violation($"slow backend {victim.Id} served no GET in {phaseMs} ms: slow must not mean excluded");
        }

        foreach (var error in slowAttempts.Where(a => a.Status is < 200 or >= 300).Take(1))
        {
            c.Violation($"GET through {error.Node} answered HTTP {error.Status} while {victim.Id} was only slow ({slowAttempts.Count(a => a.Status is < 200 or >= 300)} such answers)");
        }

        c.Log($"slow phase: {servedSlow.Count} GETs served by {victim.Id}, {slowAttempts.Count} answered in all");
        c.Sample("slow-served-median-ms", servedSlow.Count == 0 ? 0 : servedSlow[servedSlow.Count / 2]);
        c.Sample("slow-p99-ms", P99(c.Recorder.Gets.Where(g => g.StartMs >= slowFrom && g.StartMs <= slowTo).Select(g => g.LatencyMs)));

        // 2. Hanging. Extra GETs through every node (two loops each) so each node sees MinRequestsToTrip timeouts soon.
        var hangFrom = c.Recorder.NowMs;
        var before = await NodeStatusReader.ReadAllAsync(nodes, TimeSpan.FromSeconds(2), ct);
        await c.Cluster.SetBackendAsync(victim, "ok", HangDelayMs, cancellationToken: ct);
        var extra = new ConcurrentQueue<GetAttempt>();
        using (var pressureCts = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var pressure = Task.WhenAll(nodes.SelectMany(node => Enumerable.Range(0, 2).Select(_ => Task.Run(
                async () =>
                {
                    while (!pressureCts.IsCancellationRequested)
                    {
                        var sent = c.Recorder.NowMs;
                        var (status, backend) = await c.Workload.GetOnceAsync(node, "/chaos/hang", TimeSpan.FromSeconds(5), pressureCts.Token);
                        if (status != 0 || !pressureCts.IsCancellationRequested)
                        {
                            extra.Enqueue(new GetAttempt(node.Id, status, backend, sent, c.Recorder.NowMs));
                        }
                    }
                },
                CancellationToken.None))));
            try
            {
                await Poll.UntilAsync($"{victim.Id}'s breaker opens on every node", LivenessDeadline, _ => Task.FromResult(nodes.All(n =>
                    watch.Of(n.Id, hangFrom).Any(s => s.Sample.Backend(victim.Id) is { Breaker: "Open" } or { Reason: "LocalBreakerOpen" }))), ct);
                c.Sample("breaker-open-ms", c.Recorder.NowMs - hangFrom);
                c.Log($"{victim.Id}'s breaker opened on every node {c.Recorder.NowMs - hangFrom:0} ms after it started hanging");
            }
            catch (TimeoutException)
            {
                var open = nodes.Where(n => watch.Of(n.Id, hangFrom).Any(s => s.Sample.Backend(victim.Id) is { Breaker: "Open" })).Select(n => n.Id).ToList();
                c.Violation($"liveness: hanging backend {victim.Id}: the breaker did not open on every node within {LivenessDeadline.TotalSeconds:0} s (open on: {string.Join(", ", open)})");
            }
            finally
            {
                await pressureCts.CancelAsync();
                await pressure;
            }
        }

        var hangTo = c.Recorder.NowMs;
        c.FaultWindows.Add((hangFrom, hangTo));
        var after = await NodeStatusReader.ReadAllAsync(nodes, TimeSpan.FromSeconds(2), ct);
        long Grew(string nodeId, Func<StatusSample, long> counter) =>
            after.TryGetValue(nodeId, out var a) && before.TryGetValue(nodeId, out var b) ? counter(a) - counter(b) : 0;
        var hangAttempts = AnsweredAttempts(c, hangFrom, hangTo).Concat(extra.Where(a => a.Answered)).ToList();
        foreach (var errors in hangAttempts.Where(a => a.Status is < 200 or >= 300).GroupBy(a => a.Node))
        {
            // The retry budget (a cap on retries in flight) may refuse a retry under concurrency: documented load shedding, logged.
            var refused = Grew(errors.Key, s => s.RetriesRefused);
            if (refused > 0)
            {
                c.Log($"{errors.Key}: {errors.Count()} GET(s) answered HTTP {errors.First().Status} with {refused} retries refused by the retry budget");
                c.Sample("retry-budget-refused", refused);
            }
            else
            {
                c.Violation($"GET through {errors.Key} answered HTTP {errors.First().Status} while {victim.Id} hung ({errors.Count()} such answers, no retry refused by the budget): a hanging backend must cost one retry on another backend, not an error");
            }
        }

        var hangP99 = P99(c.Recorder.Gets.Where(g => g.StartMs >= hangFrom && g.StartMs <= hangTo).Select(g => g.LatencyMs).Concat(extra.Where(a => a.Answered).Select(a => a.EndMs - a.StartMs)));
        c.Sample("hang-p99-ms", hangP99);
        c.Sample("hang-retries", nodes.Sum(n => Grew(n.Id, s => s.Retries)));
        c.AtMost("hang-p99", hangP99, options.ActivityTimeoutMs + 1000, "ms", $"GET p99 while {victim.Id} hangs (one activity timeout plus one retry)");

        // 3. Recovered: the breaker's trial succeeds and every node routes to it again.
        var fixedAt = c.Recorder.NowMs;
        await c.Cluster.SetBackendAsync(victim, "ok", 0, cancellationToken: ct);
        try
        {
            await Poll.UntilAsync($"{victim.Id} routable with a closed breaker on every node", LivenessDeadline, async t =>
                await NodeStatusReader.ReadAllAsync(nodes, TimeSpan.FromSeconds(1), t) is { } all && all.Count == nodes.Count
                && all.Values.All(s => s.Backend(victim.Id) is { Routable: true, Breaker: "Closed" }), ct);
            c.Sample("breaker-close-ms", c.Recorder.NowMs - fixedAt);
            c.Log($"{victim.Id} routable with a closed breaker on every node {c.Recorder.NowMs - fixedAt:0} ms after it recovered");
        }
        catch (TimeoutException)
        {
            var last = string.Join("; ", nodes.Select(n => watch.Of(n.Id).LastOrDefault() is { Sample: { } s } && s.Backend(victim.Id) is { } b ? $"{n.Id}: {b.Reason}, breaker {b.Breaker}" : n.Id + ": no status"));
            c.Violation($"liveness: {victim.Id} answers again but is not routable with a closed breaker on every node within {LivenessDeadline.TotalSeconds:0} s ({last})");
        }

        // Nobody else suffered: the other backends stayed routable on every node throughout.
        CheckOthersStayed(c, watch, victim.Id, slowFrom, "was slow or hung");
    }

    /// <summary>One backend answers 429 with <c>Retry-After: 3</c> to everything for a while, then recovers.</summary>
    /// <remarks>A probe's 429 makes the backend rate limited until the probe time plus its Retry-After (honoured strictly,
    /// renewed by every further 429), and a rate-limited backend is not routable; the health report (state, retry-after) is replicated.
    /// Checked: every node marks it and stops routing to it; no GET sent after that reaches it before that node's own deadline (read from
    /// its replicated report); GETs through every node keep succeeding via the other backends meanwhile; after the deadlines every node
    /// routes to it again and GETs through every node reach it. Until a node's prober sees the first 429 the node passes the backend's
    /// 429 answers through (no passive 429 detection): counted, not checked.</remarks>
    private static async Task RateLimitedBackendAsync(ScenarioContext c)
    {
        var ct = c.CancellationToken;
        var options = c.Cluster.Options;
        var nodes = c.Cluster.Nodes;
        var victim = c.Cluster.Backends[c.Random.Next(c.Cluster.Backends.Count)];
        await using var watch = StatusWatch.Start(c.Cluster, c.Recorder, ct);

        // 1. Every node's own prober marks it rate limited; the node stops routing to it.
        var from = c.Recorder.NowMs;
        await c.Cluster.SetBackendAsync(victim, "429", 0, RetryAfterSeconds, ct);
        try
        {
            await Poll.UntilAsync($"every node marks {victim.Id} rate limited", LivenessDeadline, async t =>
                await NodeStatusReader.ReadAllAsync(nodes, TimeSpan.FromSeconds(1), t) is { } all && all.Count == nodes.Count
                && all.Values.All(s => s.Backend(victim.Id) is { Routable: false, Reason: "RateLimited", LocalHealth: "RateLimited" }), ct);
        }
        catch (TimeoutException)
        {
            c.Violation($"liveness: {victim.Id} answers 429 but is not marked rate limited (and unroutable) on every node within {LivenessDeadline.TotalSeconds:0} s");
            return;
        }

        var markedAt = c.Recorder.NowMs;
        c.Log($"{victim.Id} rate limited and unroutable on every node {markedAt - from:0} ms after its first 429");
        c.Sample("rate-limit-detect-ms", markedAt - from);
        c.AtMost("rate-limit-detect", markedAt - from, (options.ProbeIntervalMs * 1.1) + 1000, "ms", $"{victim.Id} rate limited on every node after it started answering 429");

        // 2. It keeps answering 429 (every probe renews the deadline). Then each node's own replicated report gives a lower
        //    bound of its deadline (the deadline only moves later while 429s go on), and the backend recovers.
        await Task.Delay((int)Math.Max(2000, c.FaultDuration.TotalMilliseconds / 3), ct);
        var deadlines = new Dictionary<string, double>(StringComparer.Ordinal);
        try
        {
            await Poll.UntilAsync("every node's own rate-limited report of " + victim.Id, LivenessDeadline, async t =>
            {
                foreach (var node in nodes.Where(n => !deadlines.ContainsKey(n.Id)))
                {
                    var reply = await c.Cluster.Admin.ListBackendsAsync(node, TimeSpan.FromSeconds(2), t);
                    var own = reply?.Backends.FirstOrDefault(b => b.Config.Id == victim.Id)?.Health.FirstOrDefault(h => h.NodeId == node.Id && h.State == HealthState.RateLimited && h.RetryAfter is not null);
                    if (own is not null)
                    {
                        deadlines[node.Id] = c.RecorderMs(own.RetryAfter.ToDateTimeOffset().ToUnixTimeMilliseconds());
                    }
                }

                return deadlines.Count == nodes.Count;
            }, ct);
        }
        catch (TimeoutException)
        {
            c.Violation($"liveness: no replicated rate-limited report of {victim.Id} with its Retry-After from {string.Join(", ", nodes.Where(n => !deadlines.ContainsKey(n.Id)).Select(n => n.Id))} within {LivenessDeadline.TotalSeconds:0} s");
        }

        await c.Cluster.SetBackendAsync(victim, "ok", 0, RetryAfterSeconds, ct);
        var recoveredAt = c.Recorder.NowMs;
        c.Log($"deadlines (ms after recovery): {string.Join(", ", deadlines.Select(d => $"{d.Key} {d.Value - recoveredAt:0}"))}");

        // 3. Liveness: routed to again on every node once the deadlines pass, and GETs through every node reach it.
        var lastDeadline = deadlines.Count == 0 ? recoveredAt : deadlines.Values.Max();
        try
        {
            await Poll.UntilAsync($"every node routes to {victim.Id} again", LivenessDeadline + TimeSpan.FromSeconds(RetryAfterSeconds), async t =>
                await NodeStatusReader.ReadAllAsync(nodes, TimeSpan.FromSeconds(1), t) is { } all && all.Count == nodes.Count
                && all.Values.All(s => s.Backend(victim.Id) is { Routable: true }), ct);
            var back = c.Recorder.NowMs - lastDeadline;
            c.Log($"{victim.Id} routable on every node again {back:0} ms after the last Retry-After deadline");
            c.Sample("rate-limit-return-ms", back);
            c.AtMost("rate-limit-return", back, (options.ProbeIntervalMs * 1.1) + 1000, "ms", $"{victim.Id} routable on every node again after the last Retry-After deadline");
            await Poll.UntilAsync($"GETs through every node reach {victim.Id} again", LivenessDeadline, _ => Task.FromResult(nodes.All(n =>
                AnsweredAttempts(c, recoveredAt, double.MaxValue).Any(a => a.Node == n.Id && a.Backend == victim.Id && a.Status is >= 200 and < 300))), ct);
        }
        catch (TimeoutException e)
        {
            c.Violation($"liveness: {victim.Id} recovered from its rate limit but {e.Message}");
        }

        c.FaultWindows.Add((from, c.Recorder.NowMs));

        // While rate limited: nothing sent after every node marked it reached it before that node's deadline, the node's view never
        // had it routable, and every GET answered through the node succeeded via the other backends.
        var attempts = AnsweredAttempts(c, markedAt, double.MaxValue).ToList();
        foreach (var node in nodes.Where(n => deadlines.ContainsKey(n.Id)))
        {
            var deadline = deadlines[node.Id];
            var window = attempts.Where(a => a.Node == node.Id && a.EndMs < deadline).ToList();
            var early = window.Where(a => a.Backend == victim.Id).ToList();
            if (early.Count > 0)
            {
                c.Violation($"{node.Id} sent {early.Count} GET(s) to rate-limited {victim.Id} before its Retry-After ended (first answered HTTP {early[0].Status}, {deadline - early[0].EndMs:0} ms before the deadline)");
            }

            if (watch.Of(node.Id, markedAt).FirstOrDefault(s => s.AtMs < deadline && s.Sample.Backend(victim.Id) is { Routable: true }) is { Sample: not null } shown)
            {
                c.Violation($"{node.Id}'s routing view had rate-limited {victim.Id} routable {deadline - shown.AtMs:0} ms before its Retry-After ended");
            }

            var errors = window.Where(a => a.Status is < 200 or >= 300).ToList();
            if (errors.Count > 0)
            {
                c.Violation($"{node.Id} answered {errors.Count} GET(s) with an error while {victim.Id} was rate limited (first: HTTP {errors[0].Status} from {errors[0].Backend ?? "the node itself"}): the other backends must serve them");
            }

            if (window.Count == 0)
            {
                c.Violation($"no GET through {node.Id} was answered in the {deadline - markedAt:0} ms {victim.Id} was rate limited: nothing to check");
            }

            c.Sample("rate-limited-gets-ok", window.Count - errors.Count);
        }

        c.Sample("429-passed-through", AnsweredAttempts(c, from, markedAt).Count(a => a.Status == 429));
        CheckOthersStayed(c, watch, victim.Id, from, "was rate limited");
    }

    /// <summary>Every GET attempt (of the client workload) sent in [from, to] that a node answered.</summary>
    private static IEnumerable<GetAttempt> AnsweredAttempts(ScenarioContext c, double from, double to) =>
        c.Recorder.Gets.SelectMany(g => g.Trail).Where(a => a.Answered && a.StartMs >= from && a.StartMs <= to);

    /// <summary>The backends other than the faulty one stayed routable on every node from <paramref name="fromMs"/> on.</summary>
    private static void CheckOthersStayed(ScenarioContext c, StatusWatch watch, string faulty, double fromMs, string what)
    {
        foreach (var node in c.Cluster.Nodes)
        {
            foreach (var other in c.Cluster.Backends.Where(b => b.Id != faulty))
            {
                if (watch.Of(node.Id, fromMs).FirstOrDefault(s => s.Sample.Backend(other.Id) is { Routable: false }) is { Sample: { } sample })
                {
                    c.Violation($"healthy backend {other.Id} left routing on {node.Id} ({sample.Backend(other.Id)!.Reason}) while {faulty} {what}");
                }
            }
        }
    }

    private static double P99(IEnumerable<double> latencies)
    {
        var sorted = latencies.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * 0.99) - 1)];
    }
}
