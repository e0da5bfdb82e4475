namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>One node of a <see cref="TestCluster"/>: its addresses, HTTP clients for its proxy and admin ports, and its lifecycle.</summary>
/// <remarks>
/// The config file and the data directory outlive a stop, so <see cref="StartAsync"/> after <see cref="StopAsync"/> or
/// <see cref="KillAsync"/> brings the same member back with its Raft log. Clients are reusable across restarts.
/// </remarks>
internal abstract class ClusterNode : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected ClusterNode(NodeEndpoints endpoints, string configPath, string dataDir)
    {
        Endpoints = endpoints;
        ConfigPath = configPath;
        DataDir = dataDir;
        Client = new HttpClient { BaseAddress = new Uri(endpoints.ProxyUrl), Timeout = TimeSpan.FromSeconds(30) };
        // The admin port speaks HTTP/2 only (cleartext, prior knowledge), for gRPC.
        Admin = new HttpClient
        {
            BaseAddress = new Uri(endpoints.AdminUrl),
            Timeout = TimeSpan.FromSeconds(5),
            DefaultRequestVersion = System.Net.HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public NodeEndpoints Endpoints { get; }

    /// <summary>The ops listener's base URL (<c>/metrics</c>, <c>/dashboard/</c>).</summary>
    public string OpsUrl => Endpoints.OpsUrl;

    public string Id => Endpoints.Id;

    /// <summary>The proxy base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string ProxyUrl => Endpoints.ProxyUrl;

    /// <summary>The admin base URL (<c>/-/status</c>; the gRPC admin API).</summary>
    public string AdminUrl => Endpoints.AdminUrl;

    /// <summary>The node's JSON configuration file.</summary>
    public string ConfigPath { get; }

    /// <summary>The node's Raft data directory.</summary>
    public string DataDir { get; }

    /// <summary>A client whose base address is the proxy port.</summary>
    public HttpClient Client { get; }

    /// <summary>A client whose base address is the admin port.</summary>
    public HttpClient Admin { get; }

    /// <summary>True while the node is started.</summary>
    public abstract bool IsRunning { get; }

    /// <summary>Starts the node (again) from its config file and data directory; returns once it listens.</summary>
    public abstract Task StartAsync();

    /// <summary>Stops the node gracefully (SIGTERM for a process).</summary>
    public abstract Task StopAsync();

    /// <summary>Kills the node abruptly: SIGKILL for a process; an in-process node cannot be killed.</summary>
    public virtual Task KillAsync() => throw new NotSupportedException("Only NodeMode.Process nodes can be killed; use StopAsync.");

    /// <summary>The node's recent console output (process nodes), for failure messages.</summary>
    public virtual string RecentOutput => string.Empty;

    /// <summary>Reads <c>GET /-/status</c>.</summary>
    public async Task<NodeStatus> StatusAsync() => (await Admin.GetFromJsonAsync<NodeStatus>("/-/status", Json))!;

    /// <summary>Sends a GET through the proxy; returns the status code and the backend that served it (response header).</summary>
    /// <param name="path">The path.</param>
    /// <param name="delayMs">When set, asks the demo backend to hold the answer this long (<c>X-Demo-Delay-Ms</c>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<(int Status, string? Backend)> GetAsync(string path = "/", int? delayMs = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (delayMs is { } delay)
        {
            request.Headers.Add(RaftBalancer.DemoBackend.DemoBackendApp.DelayHeader, delay.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await Client.SendAsync(request, cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var backend = response.Headers.TryGetValues(ClusterConfig.BackendHeader, out var values) ? values.First() : null;
        return ((int)response.StatusCode, backend);
    }

    public virtual async ValueTask DisposeAsync()
    {
        try
        {
            if (IsRunning)
            {
                await StopAsync();
            }
        }
        finally
        {
            Client.Dispose();
            Admin.Dispose();
        }
    }
}
