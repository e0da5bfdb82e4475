using RaftBalancer.State.Raft.Transport;

namespace RaftBalancer.Node.Hosting;

/// <summary>What a host adds to the node <see cref="NodeApp"/> builds: the extension point for test hosts.</summary>
/// <remarks>
/// The production entry point passes none. The chaos harness's node host passes its link fault gate and its fault routes;
/// nothing in the product reads a setting that would add either.
/// </remarks>
public sealed class NodeComposition
{
    /// <summary>Gets the hooks a Raft store calls on its outbound peer traffic (<see cref="IPeerLinkHooks"/>); ignored by other stores.</summary>
    public IPeerLinkHooks? LinkHooks { get; init; }

    /// <summary>Gets a callback that adds middleware to the built application ahead of the node's own, given the admin port.</summary>
    /// <remarks>Runs once, after the services are built and before the proxy and admin pipelines are mapped.</remarks>
    public Action<WebApplication, int>? MapRoutes { get; init; }
}
