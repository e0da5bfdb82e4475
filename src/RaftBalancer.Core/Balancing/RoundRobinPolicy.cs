using RaftBalancer.Core.Routing;

namespace RaftBalancer.Core.Balancing;

/// <summary>Strict rotation over the view's candidates, wrapping at the end.</summary>
/// <remarks>
/// Each thread walks its own rotation (see <see cref="StripedSequence"/>): one thread sees a,b,c,a,…;
/// many threads together stay within one pick per thread of an even split, with no shared write.
/// </remarks>
internal sealed class RoundRobinPolicy : IBalancingPolicy
{
    private readonly StripedSequence _sequence = new();

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
