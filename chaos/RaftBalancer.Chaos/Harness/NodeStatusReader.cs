using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RaftBalancer.Chaos.Harness;

/// <summary>Reads a node's full <c>GET /-/status</c> (verdict reasons, breaker states, retry counters), which
/// <see cref="NodeClient"/>'s routing sample leaves out; HTTP/2 only, like every call to the admin port.</summary>
internal static class NodeStatusReader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1), PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Returns the node's status, or null when it did not answer within <paramref name="timeout"/>.</summary>
    public static async Task<StatusSample?> ReadAsync(ChaosNode node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.AdminUrl + "/-/status")) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        try
        {
            using var response = await Http.SendAsync(request, cts.Token);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<StatusSample>(Json, cts.Token) : null;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or JsonException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }
    }

    /// <summary>Reads every node at once; a node that did not answer is absent.</summary>
    public static async Task<IReadOnlyDictionary<string, StatusSample>> ReadAllAsync(IEnumerable<ChaosNode> nodes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var list = nodes.ToList();
        var samples = await Task.WhenAll(list.Select(n => ReadAsync(n, timeout, cancellationToken)));
        return list.Zip(samples).Where(p => p.Second is not null).ToDictionary(p => p.First.Id, p => p.Second!, StringComparer.Ordinal);
    }
}

/// <summary>One node's <c>/-/status</c>, the parts the backend scenarios check.</summary>
internal sealed record StatusSample(string NodeId, bool Stale, long Retries, long RetriesRefused, IReadOnlyList<BackendStatusSample> Backends)
{
    public BackendStatusSample? Backend(string id) => Backends.FirstOrDefault(b => b.Id == id);
}

/// <summary>One backend in a node's <c>/-/status</c>: its verdict on that node, why, the node's own prober state and breaker state.</summary>
internal sealed record BackendStatusSample(string Id, bool Routable, string Reason, string LocalHealth, string Breaker);
