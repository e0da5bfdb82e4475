using RaftBalancer.Node.Hosting;

namespace RaftBalancer.Node;

/// <summary>Entry point: <c>RaftBalancer.Node --config cluster-configs/local-3/node-1.json</c>.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => NodeRunner.RunAsync(args);
}
