using System.Globalization;
using RaftBalancer.Chaos.Reporting;
using RaftBalancer.Chaos.Scenarios;

namespace RaftBalancer.Chaos;

/// <summary>The console runner: <c>--scenario all|short|name[,name] --duration 2m --seed N --keep --admin-writes --strict-targets</c>.</summary>
/// <remarks>Exit codes: 0 every invariant held (and, with <c>--strict-targets</c>, every speed target was met); 1 an invariant
/// broke; 2 usage; 3 only speed targets were missed and <c>--strict-targets</c> was given.</remarks>
internal static class ChaosCli
{
    public const int ExitOk = 0;
    public const int ExitViolations = 1;
    public const int ExitUsage = 2;
    public const int ExitTargetsMissed = 3;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        string scenarioArg = "short";
        var duration = TimeSpan.FromMinutes(2);
        int? seed = null;
        var keep = false;
        var strictTargets = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--scenario" when i + 1 < args.Length:
                    scenarioArg = args[++i];
                    break;
                case "--duration" when i + 1 < args.Length:
                    duration = ParseDuration(args[++i]);
                    break;
                case "--seed" when i + 1 < args.Length:
                    seed = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--keep":
                    keep = true;
                    break;
                case "--admin-writes":
                    ScenarioRunner.AdminWrites = true;
                    break;
                case "--strict-targets":
                    strictTargets = true;
                    break;
                default:
                    await output.WriteLineAsync("usage: --scenario all|short|<name>[,<name>] [--duration 2m] [--seed N] [--keep] [--admin-writes] [--strict-targets]");
                    await output.WriteLineAsync("scenarios: " + string.Join(", ", Catalog.All.Select(s => s.Name)));
                    return ExitUsage;
            }
        }

        var scenarios = scenarioArg switch
        {
            "all" => Catalog.All.ToList(),
            "short" => Catalog.All.Where(s => s.Short).ToList(),
            _ => scenarioArg.Split(',').Select(Catalog.Get).ToList(),
        };

        // The duration is the whole run's fault time, spread over the scenarios (at least 10 s each); a soak gets a larger share.
        var perScenario = TimeSpan.FromMilliseconds(Math.Max(10_000, duration.TotalMilliseconds / scenarios.Count));
        var runSeed = seed ?? Random.Shared.Next(1, 1_000_000);
        await output.WriteLineAsync($"chaos: {scenarios.Count} scenario(s), {perScenario.TotalSeconds:0} s of faults each, seed {runSeed}");
        var reports = new List<ScenarioReport>();
        foreach (var scenario in scenarios)
        {
            try
            {
                reports.Add(await ScenarioRunner.RunAsync(scenario, runSeed, scenario.Name.StartsWith("soak", StringComparison.Ordinal) ? perScenario * 2 : perScenario, line => output.WriteLine(line), cancellationToken, keep));
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException)
            {
                await output.WriteLineAsync($"[{scenario.Name}] ERROR {e.GetType().Name}: {e.Message}");
                reports.Add(new ScenarioReport(scenario.Name, runSeed, 0, 0, 0, 0, 0, null, null, null, 0, 0, 0, new Dictionary<string, List<double>>(), ["harness error: " + e.Message], [], "-"));
            }
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync(FiguresTable.Render(reports));
        var failed = reports.Count(r => !r.Passed);
        var missed = reports.Count(r => !r.TargetsMet);
        await output.WriteLineAsync(failed == 0 ? "chaos: every invariant held" : $"chaos: {failed} scenario(s) broke an invariant; replay with --scenario <name> --seed {runSeed}");
        await output.WriteLineAsync(missed == 0 ? "chaos: every speed target met" : $"chaos: {missed} scenario(s) missed a speed target ({(strictTargets ? "failing: --strict-targets" : "reported only; --strict-targets fails on them")})");
        return ExitCode(reports, strictTargets);
    }

    /// <summary>The process exit code for a run: violations always fail it, missed speed targets only when strict.</summary>
    public static int ExitCode(IReadOnlyCollection<ScenarioReport> reports, bool strictTargets) =>
        reports.Any(r => !r.Passed) ? ExitViolations
        : strictTargets && reports.Any(r => !r.TargetsMet) ? ExitTargetsMissed
        : ExitOk;

    private static TimeSpan ParseDuration(string text)
    {
        var unit = text[^1];
        var number = double.Parse(char.IsDigit(unit) ? text : text[..^1], CultureInfo.InvariantCulture);
        return unit switch
        {
            'h' => TimeSpan.FromHours(number),
            'm' => TimeSpan.FromMinutes(number),
            's' => TimeSpan.FromSeconds(number),
            _ => TimeSpan.FromSeconds(number),
        };
    }
}
