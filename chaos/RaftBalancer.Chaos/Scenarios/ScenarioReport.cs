namespace RaftBalancer.Chaos.Scenarios;

/// <summary>The outcome of one scenario run: its figures and every invariant it broke.</summary>
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
    string LogDirectory)
{
    public bool Passed => Violations.Count == 0;
}
