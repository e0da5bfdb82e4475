using System.Collections.Concurrent;
using RaftBalancer.Core.Health;

namespace RaftBalancer.Node.Probing;

/// <summary>This node's own health state machine per backend, shared by the prober (writer) and the view builder (reader).</summary>
internal sealed class LocalHealthRegistry
{
    private readonly ConcurrentDictionary<string, HealthStateMachine> _machines = new(StringComparer.Ordinal);

    /// <summary>Raised when a machine changes state; handlers must be quick.</summary>
    public event Action? Changed;

    public HealthStateMachine? Find(string backendId) => _machines.TryGetValue(backendId, out var machine) ? machine : null;

    public void Set(string backendId, HealthStateMachine machine) => _machines[backendId] = machine;

    public void Remove(string backendId) => _machines.TryRemove(backendId, out _);

    public void NotifyChanged() => Changed?.Invoke();
}
