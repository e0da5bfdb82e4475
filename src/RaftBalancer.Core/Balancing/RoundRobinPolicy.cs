using RaftBalancer.Core.Routing;

namespace RaftBalancer.Core.Balancing;

/// <summary>Strict rotation over the view's candidates, wrapping at the end.</summary>
/// <remarks>
/// One shared sequence (one interlocked increment per pick): successive picks rotate strictly even when the
/// requests run on different threads, as a node's requests do.
/// </remarks>
internal sealed class RoundRobinPolicy : IBalancingPolicy
{
    private long _next = -1;

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

        return new PickResult(candidates[(int)((ulong)Interlocked.Increment(ref _next) % (uint)candidates.Length)]);
    }
}
