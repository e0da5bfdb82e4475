using RaftBalancer.Core.Routing;

namespace RaftBalancer.Core.Balancing;

/// <summary>Picks the candidate with the fewest active requests cluster-wide; ties go round robin.</summary>
/// <remarks>
/// A candidate's load is this node's live count (<see cref="ConnectionCounter.Active"/>) plus the other nodes'
/// replicated counts (<see cref="RoutableBackend.RemoteActive"/>). The scan starts at a rotating offset, so
/// among equally loaded candidates successive picks rotate. Reading the live counters is racy by nature:
/// two concurrent picks may choose the same backend, which the next pick sees.
/// </remarks>
internal sealed class LeastConnectionsPolicy : IBalancingPolicy
{
    private readonly SharedSequence _sequence = new();

    /// <inheritdoc />
    public string Name => BalancingPolicyNames.LeastConnections;

    /// <inheritdoc />
    public PickResult Pick(RoutingView view)
    {
        var candidates = view.Candidates;
        var count = candidates.Length;
        if (count == 0)
        {
            return PickResult.NoHealthyBackends;
        }

        var index = (int)(_sequence.Next() % (uint)count);
        var best = candidates[index];
        var bestLoad = best.Load;
        for (var step = 1; step < count && bestLoad > 0; step++)
        {
            if (++index == count)
            {
                index = 0;
            }

            var candidate = candidates[index];
            var load = candidate.Load;
            if (load < bestLoad)
            {
                best = candidate;
                bestLoad = load;
            }
        }

        return new PickResult(best);
    }
}
