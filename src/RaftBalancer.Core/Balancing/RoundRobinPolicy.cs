using RaftBalancer.Core.Routing;

namespace RaftBalancer.Core.Balancing;

/// <summary>Strict rotation over the view's candidates, wrapping at the end.</summary>
/// <remarks>
/// One node-wide <see cref="SharedSequence"/>: successive picks rotate strictly even when the requests run on
/// different threads, as a node's requests do; no lock, no allocation.
/// </remarks>
internal sealed class RoundRobinPolicy : IBalancingPolicy
{
    private readonly SharedSequence _sequence = new();

    /// <inheritdoc />
    public string Name => BalancingPolicyNames.RoundRobin;

    /// <inheritdoc />
    public PickResult Pick(RoutingView view)
    {
        var candidates = view.Candidates;
        if (candidates.Length == 0)
        {
            return PickResult.NoHealthyBackends;
        }

        return new PickResult(candidates[(int)(_sequence.Next() % (uint)candidates.Length)]);
    }
}
