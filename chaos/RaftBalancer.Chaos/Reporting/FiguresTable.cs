using System.Globalization;
using System.Text;
using RaftBalancer.Chaos.Scenarios;

namespace RaftBalancer.Chaos.Reporting;

/// <summary>Prints the figures of every scenario as a Markdown table, then each extra figure, missed target and violation.</summary>
/// <remarks>The <c>result</c> column is correctness only (<c>pass</c> / <c>FAIL</c>); the <c>targets</c> column says
/// <c>met</c> or lists the missed speed targets with their figures (worst figure per target, and how often it was missed).</remarks>
internal static class FiguresTable
{
    public static string Render(IReadOnlyList<ScenarioReport> reports)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| scenario | seed | s | GET success | GET failed | p99 during fault ms | new leader median ms | dead-backend exclusion max ms | converge after heal ms | acked writes | acked lost | result | targets |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        foreach (var r in reports)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Seed} | {r.Seconds:0} | {r.GetSuccessRate * 100:0.000} % | {r.GetsFailed}/{r.GetsTotal} | {r.P99DuringFaultMs:0} | {Opt(r.ElectMedianMs)} | {Opt(r.ExclusionMaxMs)} | {Opt(r.ConvergeMs)} | {r.AckedWrites} | {r.AckedLost} | {(r.Passed ? "pass" : "FAIL")} | {Targets(r)} |"));
        }

        foreach (var r in reports)
        {
            var extra = r.Samples.Where(s => s.Key is not "elect" and not "exclusion").Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key}={string.Join("/", s.Value.Select(v => v.ToString("0.#", CultureInfo.InvariantCulture)))}")).ToList();
            if (extra.Count > 0)
            {
                sb.AppendLine($"{r.Name}: {string.Join("; ", extra)}");
            }

            foreach (var t in r.TargetsMissed)
            {
                sb.AppendLine($"{r.Name}: {t.Line}");
            }

            foreach (var v in r.Violations)
            {
                sb.AppendLine($"{r.Name}: VIOLATION {v} (logs: {r.LogDirectory})");
            }
        }

        return sb.ToString();
    }

    /// <summary>Gets <c>met</c>, or the missed targets: the worst figure of each, with a count when missed more than once.</summary>
    internal static string Targets(ScenarioReport report)
    {
        if (report.TargetsMet)
        {
            return "met";
        }

        return string.Join(", ", report.TargetsMissed.GroupBy(t => t.Name, StringComparer.Ordinal).Select(g =>
        {
            var worst = g.First().AtLeast ? g.MinBy(t => t.Figure)! : g.MaxBy(t => t.Figure)!;
            return g.Count() > 1 ? $"{worst.Compact} ×{g.Count()}" : worst.Compact;
        }));
    }

    private static string Opt(double? value) => value is { } v ? v.ToString("0", CultureInfo.InvariantCulture) : "–";
}
