namespace RaftBalancer.Node.Tests.Infrastructure;

/// <summary>An in-process node with a local store, configured through a real JSON file and <c>--config</c>.</summary>
internal sealed class NodeHost : IAsyncDisposable
{
    public const string BackendHeader = "X-RaftBalancer-Backend";

    /// <summary>How long a single-node test waits for its node to route the backends it was started with.</summary>
    public static readonly TimeSpan Startup = TimeSpan.FromSeconds(15);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly WebApplication _app;
    private readonly string _directory;

    private NodeHost(WebApplication app, string directory, string proxyUrl, string adminUrl)
    {
        _app = app;
        _directory = directory;
        ProxyUrl = proxyUrl;
        AdminUrl = adminUrl;
        Client = new HttpClient { BaseAddress = new Uri(proxyUrl), Timeout = TimeSpan.FromSeconds(30) };
        // The admin port speaks HTTP/2 only (cleartext, prior knowledge), for gRPC.
        Admin = new HttpClient
        {
            BaseAddress = new Uri(adminUrl),
            Timeout = TimeSpan.FromSeconds(10),
            DefaultRequestVersion = System.Net.HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public string ProxyUrl { get; }

    public string AdminUrl { get; }

    public HttpClient Client { get; }

    public HttpClient Admin { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The default test configuration: fast probes, a quick breaker, a local store.</summary>
    public static JsonObject Config(string policy, params (string Id, string Url, int Weight)[] backends)
    {
        var list = new JsonArray();
        foreach (var (id, url, weight) in backends)
        {
            list.Add(new JsonObject { ["Id"] = id, ["Url"] = url, ["Weight"] = weight });
        }

        return new JsonObject
        {
            ["Node"] = new JsonObject
            {
                ["Id"] = "node-1",
                [nameof(ProxyUrl)] = "http://127.0.0.1:" + FreePorts.Next(),
                [nameof(AdminUrl)] = "http://127.0.0.1:" + FreePorts.Next(),
                ["StateStore"] = "local",
                ["Policy"] = policy,
                ["BackendHeader"] = BackendHeader,
                ["LoadReportInterval"] = "00:00:00.100",
                ["Backends"] = list,
            },
            ["HealthCheck"] = new JsonObject
            {
                ["Interval"] = "00:00:00.200",
                ["Timeout"] = "00:00:00.150",
                ["Jitter"] = "00:00:00.020",
                ["FailureThreshold"] = 2,
                ["SuccessThreshold"] = 1,
            },
            ["CircuitBreaker"] = new JsonObject
            {
                ["MinRequestsToTrip"] = 3,
                ["OpenTimeout"] = "00:00:01",
            },
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } },
        };
    }

    public static async Task<NodeHost> StartAsync(JsonObject config)
    {
        var directory = Directory.CreateTempSubdirectory("rb-node-").FullName;
        var path = Path.Combine(directory, "node.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        var app = await NodeApp.BuildAsync(["--config", path]);
        await app.StartAsync();
        var node = config["Node"]!;
        return new NodeHost(app, directory, (string)node[nameof(ProxyUrl)]!, (string)node[nameof(AdminUrl)]!);
    }

    public async Task<NodeStatus> StatusAsync() =>
        (await Admin.GetFromJsonAsync<NodeStatus>("/-/status", Json))!;

    /// <summary>Waits until exactly the given backends are routable.</summary>
    public Task WaitRoutableAsync(TimeSpan timeout, params string[] ids) => Poll.UntilAsync(
        async () =>
        {
            var status = await StatusAsync();
            var routable = status.Backends.Where(b => b.Routable).Select(b => b.Id).Order(StringComparer.Ordinal);
            return routable.SequenceEqual(ids.Order(StringComparer.Ordinal));
        },
        timeout,
        "routable = [" + string.Join(",", ids) + "]");

    /// <summary>Sends a GET and returns the status and the backend that served it (from the response header).</summary>
    public async Task<(int Status, string? Backend)> GetAsync(string path = "/")
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        await response.Content.ReadAsByteArrayAsync();
        var backend = response.Headers.TryGetValues(BackendHeader, out var values) ? values.First() : null;
        return ((int)response.StatusCode, backend);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
