using System.Text.Json.Nodes;
using Grpc.Net.Client;
using RaftBalancer.Contracts.V1;
using RaftBalancer.Node.Hosting;
using RaftBalancer.Node.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using RaftBalancer.Node.Views;

namespace RaftBalancer.Node.Tests.Admin;

/// <summary>A real 3-node Raft cluster in this process on free loopback ports, with three demo backends (a, b, c).</summary>
/// <remarks>
/// Minimal on purpose (the shared cluster fixture in Cluster/ was not committed when this was written): nodes start
/// with a and b at weight 1 under weighted-round-robin; c runs but is not configured, for the tests to add. Every
/// node has the admin token <see cref="Token"/>.
/// </remarks>
public sealed class AdminCluster : IAsyncLifetime
{
    public const string Token = "admin-tests-token-0123456789";
    public const string BackendHeader = "X-RaftBalancer-Backend";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly List<WebApplication> _apps = [];
    private readonly List<DemoBackendHost> _backends = [];
    private string _directory = string.Empty;

    public IReadOnlyList<ClusterMemberNode> Nodes { get; private set; } = [];

    internal DemoBackendHost A => _backends[0];

    internal DemoBackendHost B => _backends[1];

    internal DemoBackendHost C => _backends[2];

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("rb-admin-").FullName;
        foreach (var id in new[] { "a", "b", "c" })
        {
            _backends.Add(await DemoBackendHost.StartAsync(id));
        }

        var members = Enumerable.Range(1, 3).Select(i => new
        {
            Id = "node-" + i,
            Proxy = "http://127.0.0.1:" + FreePort.Next(),
            Admin = "http://127.0.0.1:" + FreePort.Next(),
            Raft = "http://127.0.0.1:" + FreePort.Next(),
            Forward = "http://127.0.0.1:" + FreePort.Next(),
        }).ToList();

        var nodes = new List<ClusterMemberNode>();
        foreach (var self in members)
        {
            var memberList = new JsonArray();
            foreach (var m in members)
            {
                memberList.Add(new JsonObject { ["Id"] = m.Id, ["ProxyUrl"] = m.Proxy, ["AdminUrl"] = m.Admin, ["RaftUrl"] = m.Raft, ["ForwardUrl"] = m.Forward });
            }

            var config = new JsonObject
            {
                ["Node"] = new JsonObject
                {
                    ["Id"] = self.Id,
                    ["ProxyUrl"] = self.Proxy,
                    ["AdminUrl"] = self.Admin,
                    ["RaftUrl"] = self.Raft,
                    ["DataDir"] = Path.Combine(_directory, self.Id),
                    ["StateStore"] = "raft",
                    ["Members"] = memberList,
                    ["Policy"] = "weighted-round-robin",
                    ["BackendHeader"] = BackendHeader,
                    ["LoadReportInterval"] = "00:00:00.100",
                    ["Backends"] = new JsonArray
                    {
                        new JsonObject { ["Id"] = "a", ["Url"] = A.Url, ["Weight"] = 1 },
                        new JsonObject { ["Id"] = "b", ["Url"] = B.Url, ["Weight"] = 1 },
                    },
                },
                ["HealthCheck"] = new JsonObject
                {
                    ["Interval"] = "00:00:00.250",
                    ["Timeout"] = "00:00:00.200",
                    ["Jitter"] = "00:00:00.020",
                    ["FailureThreshold"] = 3,
                    ["SuccessThreshold"] = 1,
                },
                ["State"] = new JsonObject
                {
                    ["Raft"] = new JsonObject
                    {
                        ["ElectionTimeoutLower"] = "00:00:00.150",
                        ["ElectionTimeoutUpper"] = "00:00:00.300",
                        ["RequestTimeout"] = "00:00:01",
                    },
                },
                ["Admin"] = new JsonObject { ["Token"] = Token },
                ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } },
            };

            var path = Path.Combine(_directory, self.Id + ".json");
            await File.WriteAllTextAsync(path, config.ToJsonString());
            var app = await NodeApp.BuildAsync(["--config", path]);
            _apps.Add(app);
            nodes.Add(new ClusterMemberNode(self.Id, self.Proxy, self.Admin, app));
        }

        await Task.WhenAll(_apps.Select(a => a.StartAsync()));
        Nodes = nodes;
        await Eventually.AssertAsync(
            () => Nodes.All(n => n.Views.HasStoreView && n.Views.Current.Routing.Routable.Count == 2),
            Deadline,
            "every node has a view from the store with a and b routable");
    }

    /// <summary>The id of the node the cluster agrees leads (asked over gRPC).</summary>
    public async Task<string> LeaderAsync()
    {
        string leader = string.Empty;
        await Eventually.AssertAsync(
            async () =>
            {
                var status = await Nodes[0].Client.GetClusterStatusAsync(new GetClusterStatusRequest());
                leader = status.LeaderNodeId;
                return leader.Length > 0;
            },
            Deadline,
            "a leader");
        return leader;
    }

    public async Task<ClusterMemberNode> FollowerAsync()
    {
        var leader = await LeaderAsync();
        return Nodes.First(n => n.Id != leader);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            node.Dispose();
        }

        foreach (var app in _apps)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await app.StopAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
            }

            await app.DisposeAsync();
        }

        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One node of <see cref="AdminCluster"/>: its addresses, a gRPC client and a proxy client.</summary>
public sealed class ClusterMemberNode : IDisposable
{
    private readonly GrpcChannel _channel;

    internal ClusterMemberNode(string id, string proxyUrl, string adminUrl, WebApplication app)
    {
        Id = id;
        ProxyUrl = proxyUrl;
        AdminUrl = adminUrl;
        App = app;
        _channel = GrpcChannel.ForAddress(adminUrl);
        Client = new RaftBalancer.Contracts.V1.Admin.AdminClient(_channel);
        Proxy = new HttpClient { BaseAddress = new Uri(proxyUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Id { get; }

    public string ProxyUrl { get; }

    public string AdminUrl { get; }

    public WebApplication App { get; }

    public RaftBalancer.Contracts.V1.Admin.AdminClient Client { get; }

    public HttpClient Proxy { get; }

    internal ViewBuilder Views => App.Services.GetRequiredService<ViewBuilder>();

    public GrpcChannel Channel => _channel;

    /// <summary>Sends a GET through this node's proxy; returns the status and the backend id that served it.</summary>
    public async Task<(int Status, string? Backend)> GetAsync(string path = "/", int delayMs = 0)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (delayMs > 0)
        {
            request.Headers.Add(RaftBalancer.DemoBackend.DemoBackendApp.DelayHeader, delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await Proxy.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var backend = response.Headers.TryGetValues(AdminCluster.BackendHeader, out var values) ? values.First() : null;
        return ((int)response.StatusCode, backend);
    }

    public void Dispose()
    {
        Proxy.Dispose();
        _channel.Dispose();
    }
}
