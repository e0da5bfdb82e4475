using RaftBalancer.Chaos.Harness;
using RaftBalancer.Chaos.Workload;

namespace RaftBalancer.Chaos.Scenarios;

/// <summary>What a scenario's nemesis works with: the cluster, the seeded randomness, the workload, the recorder and the figures.</summary>
internal sealed class ScenarioContext
{
    public ScenarioContext(ChaosCluster cluster, Recorder recorder, ClientWorkload workload, int seed, TimeSpan faultDuration, CancellationToken cancellationToken)
    {
        Cluster = cluster;
        Recorder = recorder;
        Workload = workload;
        Random = new Random(seed);
        FaultDuration = faultDuration;
        CancellationToken = cancellationToken;
    }

    public ChaosCluster Cluster { get; }

    public Recorder Recorder { get; }

    public ClientWorkload Workload { get; }

    public Random Random { get; }

    public TimeSpan FaultDuration { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Gets the figures the scenario measured itself (elections, exclusion times, ...).</summary>
    public Dictionary<string, List<double>> Samples { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the invariant violations the scenario found itself.</summary>
    public List<string> Violations { get; } = [];

    /// <summary>Gets the windows (ms) during which a fault was on, for the p99-during-fault figure.</summary>
    public List<(double From, double To)> FaultWindows { get; } = [];

    public void Sample(string name, double value)
    {
        lock (Samples)
        {
            if (!Samples.TryGetValue(name, out var list))
            {
                Samples[name] = list = [];
            }

            list.Add(value);
        }
    }

    public void Violation(string what)
    {
        lock (Violations)
        {
            Violations.Add(what);
        }

        Recorder.Event("VIOLATION " + what);
    }

    public void Log(string what) => Recorder.Event(what);

    public async Task<ChaosNode> LeaderAsync() =>
        Cluster.Node(await Cluster.WaitForStableLeaderAsync(TimeSpan.FromSeconds(30), CancellationToken));

    /// <summary>Runs fault cycles of random length until the fault duration is spent: on, hold 1.5–4 s, off, hold 1–2.5 s.</summary>
    public async Task CyclesAsync(Func<Task> on, Func<Task> off, int minOnMs = 1500, int maxOnMs = 4000)
    {
        var end = Recorder.NowMs + FaultDuration.TotalMilliseconds;
        var cycle = 0;
        while (Recorder.NowMs < end && !CancellationToken.IsCancellationRequested)
        {
            cycle++;
            var from = Recorder.NowMs;
            await on();
            await Task.Delay(Random.Next(minOnMs, maxOnMs), CancellationToken);
            await off();
            FaultWindows.Add((from, Recorder.NowMs));
            await Task.Delay(Random.Next(1000, 2500), CancellationToken);
        }

        Log($"{cycle} fault cycles");
    }

    /// <summary>Waits until every running node agrees on one leader other than <paramref name="old"/>; returns the time it took from <paramref name="sinceMs"/>.</summary>
    public async Task<double> NewLeaderAsync(string old, double sinceMs, IReadOnlyCollection<ChaosNode>? among = null)
    {
        try
        {
            await Wait.UntilAsync("a new leader other than " + old, TimeSpan.FromSeconds(30), async ct => await Cluster.AgreedLeaderAsync(ct, among) is { } l && l != old, CancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} (last poll: {Cluster.LastLeaderObservation})", e);
        }

        return Recorder.NowMs - sinceMs;
    }
}
