using RaftBalancer.Core.Routing;

namespace RaftBalancer.Core.Balancing;

/// <summary>Chooses a backend for a request from a routing view.</summary>
/// <remarks>
/// A policy instance lives as long as the node's policy setting and is shared by every request thread.
/// <see cref="Pick"/> must be thread-safe, take no lock and allocate nothing; its rotation state
/// survives view swaps so a new view does not restart every rotation at the first backend.
/// </remarks>
public interface IBalancingPolicy
{
    /// <summary>The policy's name, one of <see cref="BalancingPolicyNames"/>.</summary>
    string Name { get; }

    /// <summary>Picks a backend among the view's candidates.</summary>
    /// <param name="view">The current routing view.</param>
    /// <returns>The picked backend, or <see cref="PickResult.NoHealthyBackends"/> when the view has no candidate.</returns>
    PickResult Pick(RoutingView view);
}
