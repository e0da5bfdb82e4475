namespace RaftBalancer.Chaos.Tests.Reporting;

/// <summary>Speed targets are reported apart from violations: in the figures table, in the exit code only when strict.</summary>
[Trait("Category", "Unit")]
public sealed class TargetsAndVerdictsTests
{
    [Fact]
    public void AtMost_FigureOverTarget_RecordsMissNotViolation()
    {
        var context = Context();

        var met = context.AtMost("converge", 6626, 5000, "ms", "every node converged after heal");

        Assert.False(met);
        Assert.Empty(context.Violations);
        var miss = Assert.Single(context.TargetsMissed);
        Assert.Equal("converge", miss.Name);
        Assert.Equal(6626, miss.Figure);
        Assert.Contains(context.Recorder.Events, e => e.What.Contains("TARGET MISSED converge", StringComparison.Ordinal));
    }

    [Fact]
    public void AtMost_FigureWithinTarget_RecordsNothing()
    {
        var context = Context();

        Assert.True(context.AtMost("converge", 5000, 5000, "ms", "converged"));
        Assert.Empty(context.TargetsMissed);
    }

    [Fact]
    public void AtLeast_RateUnderTarget_RecordsMiss()
    {
        var context = Context();

        Assert.False(context.AtLeast("get-success", 99.5, 99.9, "%", "GET success"));
        Assert.True(Assert.Single(context.TargetsMissed).AtLeast);
    }

    [Fact]
    public void Render_MissedTargets_ShownInTargetsColumnAndListed()
    {
        TargetMiss[] misses =
        [
            new("exclusion", 1700, 1500, "ms", false, "b1 excluded"),
            new("exclusion", 2100, 1500, "ms", false, "b2 excluded"),
            new("converge", 6626, 5000, "ms", false, "converged"),
        ];
        var table = FiguresTable.Render([Report("dead-backend", [], misses), Report("leader-kill", [], [])]);

        var deadRow = table.Split('\n').Single(l => l.StartsWith("| dead-backend", StringComparison.Ordinal));
        Assert.Contains("| pass | exclusion 2100 ms (≤ 1500) ×2, converge 6626 ms (≤ 5000) |", deadRow, StringComparison.Ordinal);
        Assert.EndsWith("| pass | met |", table.Split('\n').Single(l => l.StartsWith("| leader-kill", StringComparison.Ordinal)).TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("dead-backend: TARGET MISSED converge: converged: 6626 ms (target ≤ 5000 ms)", table, StringComparison.Ordinal);
    }

    [Fact]
    public void ExitCode_ViolationsAlwaysFail_MissedTargetsOnlyWhenStrict()
    {
        var clean = Report("a", [], []);
        var slow = Report("b", [], [new("converge", 6626, 5000, "ms", false, "converged")]);
        var broken = Report("c", ["acknowledged write lost"], []);

        Assert.Equal(ChaosCli.ExitOk, ChaosCli.ExitCode([clean, slow], strictTargets: false));
        Assert.Equal(ChaosCli.ExitTargetsMissed, ChaosCli.ExitCode([clean, slow], strictTargets: true));
        Assert.Equal(ChaosCli.ExitViolations, ChaosCli.ExitCode([slow, broken], strictTargets: false));
        Assert.Equal(ChaosCli.ExitViolations, ChaosCli.ExitCode([slow, broken], strictTargets: true));
        Assert.Equal(ChaosCli.ExitOk, ChaosCli.ExitCode([clean], strictTargets: true));
    }

    private static ScenarioContext Context() => new(null!, new Recorder(), null!, 1, TimeSpan.FromSeconds(1), CancellationToken.None);

    private static ScenarioReport Report(string name, string[] violations, TargetMiss[] misses) =>
        new(name, 1, 30, 1, 100, 0, 12, null, null, 800, 10, 0, 20, new Dictionary<string, List<double>>(), violations, misses, "/tmp/x");
}
