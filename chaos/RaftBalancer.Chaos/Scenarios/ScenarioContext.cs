using RaftBalancer.Chaos.Harness;
using RaftBalancer.Chaos.Workload;

namespace RaftBalancer.Chaos.Scenarios;

/// <summary>What a scenario's nemesis works with: the cluster, the seeded randomness, the workload, the recorder and the figures.</summary>
internal sealed class ScenarioContext
{
    private readonly double _wallOffsetMs;
    private readonly Action<string> _log;

    public ScenarioContext(ChaosCluster cluster, Recorder recorder, ClientWorkload workload, int seed, TimeSpan faultDuration, CancellationToken cancellationToken, Action<string>? log = null)
    {
        _log = log ?? recorder.Event; // the runner's log records the line and prints it
        Cluster = cluster;
        Recorder = recorder;
        Workload = workload;
        Random = new Random(seed);
        FaultDuration = faultDuration;
        CancellationToken = cancellationToken;
        _wallOffsetMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() - recorder.NowMs;
    }

    public ChaosCluster Cluster { get; }

    public Recorder Recorder { get; }

    public ClientWorkload Workload { get; }

    public Random Random { get; }

    public TimeSpan FaultDuration { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Gets the figures the scenario measured itself (elections, exclusion times, ...).</summary>
    public Dictionary<string, List<double>> Samples { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the invariant violations the scenario found itself (correctness: these fail the run).</summary>
    public List<string> Violations { get; } = [];

    /// <summary>Gets the speed targets the scenario missed (measured and reported; they fail the run only with <c>--strict-targets</c>).</summary>
    public List<TargetMiss> TargetsMissed { get; } = [];

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

        _log("VIOLATION " + what);
    }

    /// <summary>Holds a measured figure against an upper speed target; a miss is recorded and logged, never a violation.</summary>
    /// <returns>True when the target was met.</returns>
    public bool AtMost(string name, double figure, double limit, string unit, string detail) => Target(new TargetMiss(name, figure, limit, unit, AtLeast: false, detail), figure <= limit);

    /// <summary>Holds a measured figure against a lower speed target (rates); a miss is recorded and logged, never a violation.</summary>
    /// <returns>True when the target was met.</returns>
    public bool AtLeast(string name, double figure, double limit, string unit, string detail) => Target(new TargetMiss(name, figure, limit, unit, AtLeast: true, detail), figure >= limit);

    public void Log(string what) => _log(what);

    /// <summary>Converts a wall-clock instant (Unix ms, as the nodes stamp deadlines on this same machine) to the recorder's clock.</summary>
    public double RecorderMs(long unixMs) => unixMs - _wallOffsetMs;

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
            await Poll.UntilAsync("a new leader other than " + old, TimeSpan.FromSeconds(30), async ct => await Cluster.AgreedLeaderAsync(ct, among) is { } l && l != old, CancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} (last poll: {Cluster.LastLeaderObservation})", e);
        }

        return Recorder.NowMs - sinceMs;
    }

    private bool Target(TargetMiss target, bool met)
    {
        if (met)
        {
            return true;
        }

        lock (TargetsMissed)
        {
            TargetsMissed.Add(target);
        }

        _log(target.Line);
        return false;
    }
}
