namespace RaftBalancer.Chaos.Scenarios;

/// <summary>The outcome of one scenario run: its figures, every invariant it broke and every speed target it missed.</summary>
/// <remarks><see cref="Violations"/> are correctness (an acknowledged write lost, two leaders in a term, a liveness
/// deadline passed, ...) and fail the run; <see cref="TargetsMissed"/> are speed figures outside their targets and are
/// only reported (they fail the command-line run with <c>--strict-targets</c>).</remarks>
internal sealed record ScenarioReport(
    string Name,
    int Seed,
    double Seconds,
    double GetSuccessRate,
    int GetsTotal,
    int GetsFailed,
    double P99DuringFaultMs,
    double? ElectMedianMs,
    double? ExclusionMaxMs,
    double? ConvergeMs,
    int AckedWrites,
    int AckedLost,
    int HistoryOps,
    IReadOnlyDictionary<string, List<double>> Samples,
    IReadOnlyList<string> Violations,
    IReadOnlyList<TargetMiss> TargetsMissed,
    string LogDirectory)
{
    /// <summary>Gets a value indicating whether every invariant held (missed speed targets do not count).</summary>
    public bool Passed => Violations.Count == 0;

    /// <summary>Gets a value indicating whether every speed target was met.</summary>
    public bool TargetsMet => TargetsMissed.Count == 0;
}
