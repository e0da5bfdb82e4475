namespace RaftBalancer.Core.Health;

/// <summary>What a call to <see cref="HealthStateMachine.Record"/> or <see cref="HealthStateMachine.Refresh"/> did.</summary>
/// <param name="Previous">The state before the call.</param>
/// <param name="Snapshot">The snapshot published by the call (the current one when nothing changed).</param>
public readonly record struct HealthTransition(HealthState Previous, HealthSnapshot Snapshot)
{
    /// <summary>Whether the call moved the machine to a different state.</summary>
    public bool Changed => Previous != Snapshot.State;

    /// <summary>The state after the call.</summary>
    public HealthState Current => Snapshot.State;
}
