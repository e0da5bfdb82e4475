using RaftBalancer.Chaos.Harness;

namespace RaftBalancer.Chaos.Scenarios;

/// <summary>A named scenario: the cluster it needs and the nemesis it runs while the workload goes on.</summary>
/// <param name="Name">Scenario name (command line and test name).</param>
/// <param name="Short">True when it belongs to the short CI matrix.</param>
/// <param name="Cluster">The cluster shape.</param>
/// <param name="Nemesis">Applies and heals faults; returns when its fault duration is spent.</param>
/// <param name="AfterHeal">Extra checks after healing and convergence (backend exclusion, flapping, ...); may be null.</param>
internal sealed record ScenarioDefinition(
    string Name,
    bool Short,
    ClusterOptions Cluster,
    Func<ScenarioContext, Task> Nemesis,
    Func<ScenarioContext, Task>? AfterHeal = null)
{
    /// <summary>Gets a value indicating whether the register/unique-key workload runs (off for pure backend scenarios).</summary>
    public bool Writes { get; init; } = true;

    /// <summary>Gets a value indicating whether the gRPC admin-write workload runs too (its final check: every acknowledged
    /// admin call visible on every node's ListBackends); needs <see cref="Writes"/>.</summary>
    public bool AdminWrites { get; init; }

    /// <summary>Gets a value indicating whether failed GETs are expected (all backends down): the success-rate target is not applied.</summary>
    public bool GetsMayFail { get; init; }

    /// <summary>Gets a value indicating whether it is a single-node fault (the ≥ 99.9 % GET success target and the 90 % floor apply).</summary>
    public bool SingleNodeFault { get; init; }
}
