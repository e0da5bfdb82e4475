using RaftBalancer.Chaos.Faults;
using RaftBalancer.Node.Hosting;

namespace RaftBalancer.Chaos.Node;

/// <summary>Entry point: the ordinary node, with this node's link faults and the <c>/-/chaos/*</c> routes on its admin port.</summary>
/// <remarks>Takes the node's own command line (<c>--config path</c>, overrides) plus <c>--Chaos:AckBeforeCommit true|false</c>.</remarks>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var faults = new ChaosFaults();
        return NodeRunner.RunAsync(args, new NodeComposition
        {
            LinkHooks = faults,
            MapRoutes = (app, adminPort) => ChaosEndpoints.Map(app, adminPort, faults),
        });
    }
}
