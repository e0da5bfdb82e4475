namespace RaftBalancer.Chaos.Tests.Cluster;

/// <summary>The short chaos matrix CI runs on every submission: real node processes, real faults, the full checker.</summary>
/// <remarks>Seed: <c>CHAOS_SEED</c> when set (replay), otherwise random and printed. Faults per scenario: <c>CHAOS_FAULT_SECONDS</c> (default 6).
/// A test fails on violations (correctness, liveness with generous deadlines) only; missed speed targets are printed with the
/// figures table and never fail it (a loaded 2-core CI box measures speed, it does not judge it).</remarks>
[Trait("Category", "Chaos")]
[Collection(SequentialChaos.Name)]
public sealed class ChaosMatrixTests
{
    private readonly ITestOutputHelper _output;

    public ChaosMatrixTests(ITestOutputHelper output)
    {
        _output = output;
    }

    /// <summary>Every short scenario, paused-leader included (fixed: the election guard, and proposals stamped with the leadership term).</summary>
    public static TheoryData<string> ShortMatrix => [.. Catalog.All.Where(s => s.Short).Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(ShortMatrix))]
    public async Task Scenario_WithSeededFaults_KeepsEveryInvariant(string name)
    {
        var report = await RunAsync(Catalog.Get(name));

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Violations));
        Assert.Equal(0, report.AckedLost);
    }

    [Fact]
    public async Task BrokenVariant_AckBeforeCommit_IsCaughtByTheChecker()
    {
        var report = await RunAsync(Catalog.BrokenAckBeforeCommit);

        Assert.False(report.Passed);
        Assert.True(report.AckedLost > 0, "acknowledged-but-uncommitted writes must be reported lost");
        Assert.Contains(report.Violations, v => v.Contains("acknowledged write", StringComparison.Ordinal));

        // Caught as it must be: the run's kept logs (kept for any failed run) are not needed.
        Directory.Delete(report.LogDirectory, recursive: true);
    }

    private async Task<ScenarioReport> RunAsync(ScenarioDefinition scenario)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CHAOS_SEED"), out var s) ? s : Random.Shared.Next(1, 1_000_000);
        var faults = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("CHAOS_FAULT_SECONDS"), out var f) ? f : 6);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var report = await ScenarioRunner.RunAsync(scenario, seed, faults, line => _output.WriteLine(line), timeout.Token);
        _output.WriteLine(FiguresTable.Render([report]));
        return report;
    }
}
