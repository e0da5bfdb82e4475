using Grpc.Core;
using Grpc.Net.Client;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Chaos.Harness;

/// <summary>One gRPC channel per node to the admin API (h2c on the admin port), with the harness's bearer token.</summary>
internal sealed class AdminChannels : IDisposable
{
    private readonly Dictionary<string, GrpcChannel> _channels;
    private readonly Metadata _auth = new() { { "authorization", "Bearer " + ChaosCluster.AdminToken } };

    public AdminChannels(IEnumerable<ChaosNode> nodes)
    {
        _channels = nodes.ToDictionary(
            n => n.Id,
            n => GrpcChannel.ForAddress(n.AdminUrl, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromMilliseconds(500), EnableMultipleHttp2Connections = true } }),
            StringComparer.Ordinal);
    }

    public Admin.AdminClient Client(ChaosNode node) => new(_channels[node.Id]);

    /// <summary>Call options with the token and a deadline (gRPC deadlines are wall-clock instants).</summary>
    public CallOptions Options(TimeSpan timeout, CancellationToken cancellationToken) =>
        new(_auth, TimeProvider.System.GetUtcNow().UtcDateTime.Add(timeout), cancellationToken);

    /// <summary>The node's backends with their per-node health reports and verdicts (local read), or null when it did not answer.</summary>
    public async Task<ListBackendsResponse?> ListBackendsAsync(ChaosNode node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await Client(node).ListBackendsAsync(new ListBackendsRequest { Consistency = Consistency.Local }, Options(timeout, cancellationToken));
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }
}
