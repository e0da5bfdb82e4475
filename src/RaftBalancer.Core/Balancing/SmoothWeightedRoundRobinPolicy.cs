using RaftBalancer.Core.Routing;

namespace RaftBalancer.Core.Balancing;

/// <summary>nginx's smooth weighted round robin: each backend gets exactly its weight in every cycle, spread out.</summary>
/// <remarks>
/// nginx adds each weight to a running score, picks the highest score and subtracts the weight total from it.
/// That walk is periodic (period = sum of weights / their gcd), so the view precomputes one period
/// (<see cref="RoutingView.WeightedSchedule"/>, built when the view is constructed) and a pick is an index into
/// it: no lock, no allocation, also on the first pick after a view swap.
/// Weights 5,1,1 give a,a,b,a,c,a,a.
/// </remarks>
internal sealed class SmoothWeightedRoundRobinPolicy : IBalancingPolicy
{
    // One shared sequence, not per-thread stripes: a node's requests hop threads, and successive requests
    // must still walk the schedule in order (5,1,1 gives a,a,b,a,c,a,a across the node).
    private readonly SharedSequence _sequence = new();

    /// <inheritdoc />
    public string Name => BalancingPolicyNames.WeightedRoundRobin;

    /// <inheritdoc />
    public PickResult Pick(RoutingView view)
    {
        var candidates = view.Candidates;
        if (candidates.Length == 0)
        {
            return PickResult.NoHealthyBackends;
        }

        var schedule = view.WeightedSchedule;
        return new PickResult(candidates[schedule[(int)(_sequence.Next() % (uint)schedule.Length)]]);
    }
}
