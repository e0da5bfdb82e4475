using System.Globalization;

namespace RaftBalancer.Chaos.Scenarios;

/// <summary>A speed target a scenario missed: the figure measured and the target it was held against.</summary>
/// <remarks>Missed targets are reported (figures table, log, <c>--strict-targets</c>), never violations: on a loaded
/// 2-core box timing is a measurement, not a correctness verdict.</remarks>
/// <param name="Name">Short target name, e.g. <c>converge</c> or <c>exclusion</c>.</param>
/// <param name="Figure">What was measured.</param>
/// <param name="Limit">The target.</param>
/// <param name="Unit">Unit of both, e.g. <c>ms</c> or <c>%</c>.</param>
/// <param name="AtLeast">True when the figure must be at least the limit (rates), false when at most (latencies).</param>
/// <param name="Detail">What was measured, in words.</param>
internal sealed record TargetMiss(string Name, double Figure, double Limit, string Unit, bool AtLeast, string Detail)
{
    /// <summary>Gets the compact form for the figures table, e.g. <c>converge 6626 ms (≤ 5000)</c>.</summary>
    public string Compact => string.Create(CultureInfo.InvariantCulture, $"{Name} {Figure:0.###} {Unit} ({(AtLeast ? "≥" : "≤")} {Limit:0.###})");

    /// <summary>Gets the full line printed under the table.</summary>
    public string Line => string.Create(CultureInfo.InvariantCulture, $"TARGET MISSED {Name}: {Detail}: {Figure:0.###} {Unit} (target {(AtLeast ? "≥" : "≤")} {Limit:0.###} {Unit})");
}
