using System.Diagnostics;
using System.Text.Json.Nodes;

namespace RaftBalancer.Chaos.Harness;

/// <summary>N real node processes (the chaos node host: link faults and <c>/-/chaos/*</c>; own data dirs, free loopback ports) and demo backend processes.</summary>
/// <remarks>Every process is started through a <see cref="ProcessRegistry"/> and stopped by PID on dispose, whatever happened.</remarks>
internal sealed class ChaosCluster : IAsyncDisposable
{
    private static readonly HttpClient Control = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(3) };
    private readonly ProcessRegistry _processes = new();
    private readonly string _root;
    private AdminChannels? _admin;

    private ChaosCluster(ClusterOptions options, string root, bool keepFiles)
    {
        Options = options;
        _root = root;
        KeepFiles = keepFiles;
    }

    /// <summary>The admin token every chaos node is started with (a test value, never a production one).</summary>
    public const string AdminToken = "chaos-harness-admin-token";

    public ClusterOptions Options { get; }

    public IReadOnlyList<ChaosNode> Nodes { get; private set; } = [];

    public IReadOnlyList<ChaosBackend> Backends { get; private set; } = [];

    public string Root => _root;

    public bool KeepFiles { get; set; }

    public Action<string>? Log { get; set; }

    /// <summary>Starts backends, then every node (all at once), and waits until every node answers and one leader is known to all.</summary>
    public static async Task<ChaosCluster> StartAsync(ClusterOptions options, CancellationToken cancellationToken, bool keepFiles = false, Action<string>? log = null)
    {
        var root = System.IO.Directory.CreateTempSubdirectory("rb-chaos-").FullName;
        var cluster = new ChaosCluster(options, root, keepFiles) { Log = log };
        try
        {
            cluster.Backends = Enumerable.Range(1, options.Backends).Select(i => new ChaosBackend("b" + i, FreePorts.Next())).ToList();
            cluster.Nodes = Enumerable.Range(1, options.Nodes).Select(i =>
            {
                var dir = Path.Combine(root, "node-" + i);
                System.IO.Directory.CreateDirectory(dir);
                return new ChaosNode("node-" + i, FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), dir);
            }).ToList();

            foreach (var backend in cluster.Backends)
            {
                backend.Process = cluster._processes.Start(backend.Id, BuildOutput.DemoBackendDll, ["--id", backend.Id, "--urls", backend.Url], Path.Combine(root, backend.Id + ".log"));
            }

            foreach (var node in cluster.Nodes)
            {
                await File.WriteAllTextAsync(node.ConfigPath, cluster.Config(node).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), cancellationToken);
            }

            foreach (var node in cluster.Nodes)
            {
                cluster.StartProcess(node);
            }

            await Poll.UntilAsync("every backend answers", TimeSpan.FromSeconds(60), async ct =>
            {
                foreach (var b in cluster.Backends)
                {
                    try
                    {
                        using var r = await Control.GetAsync(new Uri(b.Url + "/-/ready"), ct);
                        if (!r.IsSuccessStatusCode)
                        {
                            return false;
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                }

                return true;
            }, cancellationToken);
            await cluster.WaitForStableLeaderAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Gets the gRPC admin API of every node (channels made on first use, disposed with the cluster).</summary>
    public AdminChannels Admin => _admin ??= new AdminChannels(Nodes);

    public ChaosNode Node(string id) => Nodes.Single(n => n.Id == id);

    /// <summary>Gets what the last <see cref="AgreedLeaderAsync"/> poll saw on each node, for timeout messages.</summary>
    public string LastLeaderObservation { get; private set; } = "no poll yet";

    /// <summary>Polls every running node; returns the leader all running, unpaused nodes agree on, or null.</summary>
    public async Task<string?> AgreedLeaderAsync(CancellationToken cancellationToken, IReadOnlyCollection<ChaosNode>? among = null)
    {
        var nodes = (among ?? Nodes).Where(n => n.Running && !n.Paused).ToList();
        var samples = await Task.WhenAll(nodes.Select(n => n.Client.GetRaftAsync(TimeSpan.FromSeconds(1), cancellationToken)));
        LastLeaderObservation = string.Join("; ", nodes.Zip(samples, (n, s) => s is null
            ? $"{n.Id}: no status ({n.Client.LastFailure ?? "no failure recorded"})"
            : $"{n.Id}: term {s.Term}, leader {s.LeaderId ?? "none"}{(s.IsLeader ? " (self)" : string.Empty)}, commit {s.CommitIndex}"));
        if (samples.Any(s => s is null))
        {
            return null;
        }

        var leaders = samples.Select(s => s!.LeaderId).Distinct().ToList();
        return leaders is [{ } leader] && samples.Count(s => s!.IsLeader) == 1 ? leader : null;
    }

    /// <summary>Waits until every running node (or every node of <paramref name="among"/>) agrees on one leader; a timeout says what each node last reported.</summary>
    public async Task<string> WaitForStableLeaderAsync(TimeSpan timeout, CancellationToken cancellationToken, IReadOnlyCollection<ChaosNode>? among = null)
    {
        try
        {
            return await Poll.ForAsync("one leader agreed by every running node", timeout, ct => AgreedLeaderAsync(ct, among), cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} (last poll: {LastLeaderObservation})", e);
        }
    }

    /// <summary>SIGKILL.</summary>
    public void Kill(ChaosNode node)
    {
        if (node.Process is { } p)
        {
            node.Process = null;
            _processes.Kill(p);
            node.Paused = false;
            Log?.Invoke("SIGKILL " + node.Id);
        }
    }

    /// <summary>Restarts a killed node from its data directory.</summary>
    public void Restart(ChaosNode node)
    {
        if (!node.Running)
        {
            StartProcess(node);
            Log?.Invoke("restart " + node.Id);
        }
    }

    public void Pause(ChaosNode node)
    {
        if (node.Process is { } p && !node.Paused)
        {
            p.Pause();
            node.Paused = true;
            Log?.Invoke("SIGSTOP " + node.Id);
        }
    }

    public void Resume(ChaosNode node)
    {
        if (node.Process is { } p && node.Paused)
        {
            p.Resume();
            node.Paused = false;
            Log?.Invoke("SIGCONT " + node.Id);
        }
    }

    /// <summary>Cuts (or delays) the directed link from → to: from's Raft and forwarding traffic to 'to'.</summary>
    public Task SetLinkAsync(ChaosNode from, ChaosNode to, string mode, int delayMs, CancellationToken cancellationToken) =>
        from.Running && !from.Paused ? from.Client.SetLinkAsync(to.Id, mode, delayMs, cancellationToken) : Task.CompletedTask;

    /// <summary>Cuts every link between the groups, both ways (nodes in both groups — a bridge — keep their links).</summary>
    public async Task PartitionAsync(IReadOnlyCollection<ChaosNode> a, IReadOnlyCollection<ChaosNode> b, CancellationToken cancellationToken)
    {
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                if (x != y && !b.Contains(x) && !a.Contains(y))
                {
                    await SetLinkAsync(x, y, "drop", 0, cancellationToken);
                    await SetLinkAsync(y, x, "drop", 0, cancellationToken);
                }
            }
        }

        Log?.Invoke($"partition [{string.Join(",", a.Select(n => n.Id))}] | [{string.Join(",", b.Select(n => n.Id))}]");
    }

    /// <summary>Heals every link on every running node (paused nodes are resumed first).</summary>
    public async Task HealAsync(CancellationToken cancellationToken)
    {
        foreach (var node in Nodes)
        {
            Resume(node);
        }

        foreach (var node in Nodes.Where(n => n.Running))
        {
            await Poll.UntilAsync("heal " + node.Id, TimeSpan.FromSeconds(20), async ct =>
            {
                try
                {
                    await node.Client.HealAsync(ct);
                    return true;
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            }, cancellationToken);
        }

        Log?.Invoke("heal links");
    }

    /// <summary>Sets a demo backend's fault mode: ok, fail, 429 (with retryAfter) or a traffic delay.</summary>
    public async Task SetBackendAsync(ChaosBackend backend, string mode, int delayMs = 0, int retryAfter = 2, CancellationToken cancellationToken = default)
    {
        var query = $"mode={mode}&delayMs={delayMs}&retryAfter={retryAfter}";
        using var response = await Control.PostAsync(new Uri(backend.Url + "/-/control?" + query), null, cancellationToken);
        response.EnsureSuccessStatusCode();
        Log?.Invoke($"backend {backend.Id} {mode}{(delayMs > 0 ? " delay " + delayMs : string.Empty)}");
    }

    public void KillBackend(ChaosBackend backend)
    {
        if (backend.Process is { } p)
        {
            backend.Process = null;
            _processes.Kill(p);
            Log?.Invoke("SIGKILL backend " + backend.Id);
        }
    }

    public void RestartBackend(ChaosBackend backend)
    {
        if (backend.Process is null)
        {
            backend.Process = _processes.Start(backend.Id, BuildOutput.DemoBackendDll, ["--id", backend.Id, "--urls", backend.Url], Path.Combine(_root, backend.Id + ".log"));
            Log?.Invoke("restart backend " + backend.Id);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _admin?.Dispose();
        _processes.Dispose();
        foreach (var node in Nodes)
        {
            node.Dispose();
        }

        if (!KeepFiles)
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                try
                {
                    System.IO.Directory.Delete(_root, recursive: true);
                    break;
                }
                catch (IOException)
                {
                    await Task.Yield();
                }
            }
        }
    }

    private void StartProcess(ChaosNode node)
    {
        var env = new Dictionary<string, string> { ["RAFTBALANCER_ADMIN_TOKEN"] = AdminToken };
        node.Process = _processes.Start(node.Id, BuildOutput.ChaosNodeDll, ["--config", node.ConfigPath, "--Chaos:AckBeforeCommit", Options.AckBeforeCommit ? "true" : "false"], node.LogPath, env);
        node.Paused = false;
    }

    private JsonObject Config(ChaosNode self)
    {
        var members = new JsonArray();
        foreach (var n in Nodes)
        {
            members.Add(new JsonObject { ["Id"] = n.Id, ["ProxyUrl"] = n.ProxyUrl, ["AdminUrl"] = n.AdminUrl, ["RaftUrl"] = n.RaftUrl, ["ForwardUrl"] = n.ForwardUrl });
        }

        var backends = new JsonArray();
        foreach (var b in Backends)
        {
            backends.Add(new JsonObject { ["Id"] = b.Id, ["Url"] = b.Url, ["Weight"] = 1 });
        }

        static string Ms(int ms) => TimeSpan.FromMilliseconds(ms).ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["Node"] = new JsonObject
            {
                ["Id"] = self.Id,
                ["ProxyUrl"] = self.ProxyUrl,
                ["AdminUrl"] = self.AdminUrl,
                ["RaftUrl"] = self.RaftUrl,
                ["DataDir"] = Path.Combine(self.Directory, "data"),
                ["StateStore"] = "raft",
                ["Members"] = members,
                ["Policy"] = "round-robin",
                ["LoadReportInterval"] = "00:00:00.500",
                ["BackendHeader"] = "X-RaftBalancer-Backend",
                ["ConnectTimeout"] = "00:00:00.500",
                ["ActivityTimeout"] = Ms(Options.ActivityTimeoutMs),
                ["Backends"] = backends,
            },
            ["HealthCheck"] = new JsonObject
            {
                ["Endpoint"] = "/-/ready",
                ["Interval"] = Ms(Options.ProbeIntervalMs),
                ["Jitter"] = Ms(Options.ProbeIntervalMs / 10),
                ["Timeout"] = Ms(Options.ProbeTimeoutMs),
                ["FailureThreshold"] = Options.FailureThreshold,
                ["SuccessThreshold"] = 1,
            },
            ["CircuitBreaker"] = new JsonObject { ["MinRequestsToTrip"] = Options.BreakerMinRequestsToTrip, ["OpenTimeout"] = Ms(Options.BreakerOpenTimeoutMs), ["HalfOpenMaxRequests"] = 1, ["SuccessThreshold"] = 1 },
            ["State"] = new JsonObject
            {
                ["Raft"] = new JsonObject
                {
                    ["ElectionTimeoutLower"] = Ms(Options.ElectionLowerMs),
                    ["ElectionTimeoutUpper"] = Ms(Options.ElectionUpperMs),
                    ["RequestTimeout"] = "00:00:01",
                    ["WriteTimeout"] = "00:00:03",
                    ["SegmentSize"] = Options.SegmentSize,
                    ["SnapshotInterval"] = Options.SnapshotInterval,
                },
            },
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning", ["RaftBalancer"] = "Information" } },
        };
    }
}
