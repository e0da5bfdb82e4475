using RaftBalancer.Chaos.Checking;
using RaftBalancer.Chaos.Harness;

namespace RaftBalancer.Chaos.Workload;

/// <summary>The load during a scenario: idempotent GETs through every node, register writes/linearizable reads and
/// write-once keys through random nodes, each recorded with its outcome. Every loop ends with the token (bounded in time).</summary>
internal sealed class ClientWorkload
{
    /// <summary>One GET attempt's patience: above the nodes' activity timeout plus one retry, so a hanging backend costs the
    /// node a retry on another backend (its promise), not the client an attempt.</summary>
    private static readonly TimeSpan GetAttemptTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(4);
    private readonly ChaosCluster _cluster;
    private readonly Recorder _recorder;
    private readonly int _seed;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromMilliseconds(500), PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2) }) { Timeout = Timeout.InfiniteTimeSpan };
    private long _unique;

    public ClientWorkload(ChaosCluster cluster, Recorder recorder, int seed)
    {
        _cluster = cluster;
        _recorder = recorder;
        _seed = seed;
    }

    public int Registers { get; init; } = 3;

    public int GetClients { get; init; } = 3;

    public int Writers { get; init; } = 2;

    /// <summary>Gets or sets the value size of write-once keys (the entry-size sweep changes it while running).</summary>
    public int UniqueValueBytes { get; set; } = 32;

    /// <summary>Gets or sets a value indicating whether writes are paused (reads and GETs go on).</summary>
    public bool WritesPaused { get; set; }

    public Task RunAsync(CancellationToken cancellationToken)
    {
        var tasks = new List<Task>();
        for (var i = 0; i < GetClients; i++)
        {
            var client = i;
            tasks.Add(Task.Run(() => GetLoopAsync(client, cancellationToken), CancellationToken.None));
        }

        for (var i = 0; i < Writers; i++)
        {
            var writer = i;
            tasks.Add(Task.Run(() => WriteLoopAsync(writer, cancellationToken), CancellationToken.None));
        }

        return Task.WhenAll(tasks);
    }

    /// <summary>One write-once key through a given node, recorded; <paramref name="timeout"/> is the client's patience (default 4 s).</summary>
    public async Task<UniqueWrite> WriteUniqueAsync(ChaosNode node, int valueBytes, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var n = Interlocked.Increment(ref _unique);
        var key = "u/" + n.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var value = Payload(key, valueBytes);
        var invoked = _recorder.NowUs;
        var outcome = await node.Client.PutAsync(key, value, timeout ?? WriteTimeout, cancellationToken);
        var write = new UniqueWrite("chaos/" + key, value, node.Id, invoked, _recorder.NowUs, outcome);
        _recorder.UniqueWrites.Enqueue(write);
        return write;
    }

    /// <summary>One register write through a given node, recorded in the history.</summary>
    public async Task<OpOutcome> WriteRegisterAsync(ChaosNode node, string process, int register, CancellationToken cancellationToken)
    {
        var id = _recorder.NextId();
        var key = "reg/" + register;
        var value = process + "-" + id;
        var invoked = _recorder.NowUs;
        var outcome = await node.Client.PutAsync(key, value, WriteTimeout, cancellationToken);
        _recorder.History.Enqueue(new HistoryOp(id, process, "chaos/" + key, OpKind.Write, value, invoked, outcome == OpOutcome.Unknown ? null : _recorder.NowUs, outcome));
        return outcome;
    }

    /// <summary>One linearizable register read through a given node, recorded in the history.</summary>
    public async Task<(bool Answered, string? Value)> ReadRegisterAsync(ChaosNode node, string process, int register, CancellationToken cancellationToken)
    {
        var id = _recorder.NextId();
        var key = "reg/" + register;
        var invoked = _recorder.NowUs;
        var (answered, value, _) = await node.Client.GetAsync(key, linearizable: true, WriteTimeout, cancellationToken);
        _recorder.History.Enqueue(new HistoryOp(id, process, "chaos/" + key, OpKind.Read, value, invoked, _recorder.NowUs, answered ? OpOutcome.Ok : OpOutcome.Unknown));
        return (answered, value);
    }

    /// <summary>One GET through a node's proxy port: the status (0 when there was no answer) and the backend that answered.</summary>
    public async Task<(int Status, string? Backend)> GetOnceAsync(ChaosNode node, string pathAndQuery, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var response = await _http.GetAsync(new Uri(node.ProxyUrl + pathAndQuery), cts.Token);
            return ((int)response.StatusCode, response.Headers.TryGetValues("X-Backend-Id", out var ids) ? ids.FirstOrDefault() : null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return (0, null);
        }
    }

    internal static string Payload(string key, int bytes)
    {
        var head = key + ":";
        if (bytes <= head.Length)
        {
            return head;
        }

        // Deterministic filler derived from the key, so a replayed or truncated entry is visible.
        var filler = new char[bytes - head.Length];
        var h = (uint)key.GetHashCode(StringComparison.Ordinal);
        for (var i = 0; i < filler.Length; i++)
        {
            h = (h * 1103515245) + 12345;
            filler[i] = (char)('a' + ((h >> 16) % 26));
        }

        return head + new string(filler);
    }

    private async Task GetLoopAsync(int client, CancellationToken cancellationToken)
    {
        var nodes = _cluster.Nodes;
        var next = client;
        while (!cancellationToken.IsCancellationRequested)
        {
            var start = _recorder.NowMs;
            var first = nodes[next % nodes.Count];
            var attempts = 0;
            var status = 0;
            string? backend = null;
            var success = false;
            var trail = new List<GetAttempt>(1);
            for (var attempt = 0; attempt < 3 && !cancellationToken.IsCancellationRequested; attempt++)
            {
                var node = nodes[(next + attempt) % nodes.Count];
                attempts++;
                var sent = _recorder.NowMs;
                (status, backend) = await GetOnceAsync(node, "/chaos/get?c=" + client, GetAttemptTimeout, cancellationToken);
                if (status != 0 || !cancellationToken.IsCancellationRequested)
                {
                    trail.Add(new GetAttempt(node.Id, status, backend, sent, _recorder.NowMs));
                }

                if (status is >= 200 and < 300)
                {
                    success = true;
                    break;
                }
            }

            next++;
            if (cancellationToken.IsCancellationRequested && !success)
            {
                break;
            }

            _recorder.Gets.Enqueue(new GetResult(start, _recorder.NowMs - start, first.Id, success, status, attempts, backend, trail));
            await Pace(20, cancellationToken);
        }
    }

    private async Task WriteLoopAsync(int writer, CancellationToken cancellationToken)
    {
        var random = new Random(HashCode.Combine(_seed, writer));
        var process = "w" + writer;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (WritesPaused)
            {
                await Pace(50, cancellationToken);
                continue;
            }

            var node = _cluster.Nodes[random.Next(_cluster.Nodes.Count)];
            var roll = random.Next(100);
            try
            {
                if (roll < 40)
                {
                    await WriteRegisterAsync(node, process, random.Next(Registers), cancellationToken);
                }
                else if (roll < 75)
                {
                    await ReadRegisterAsync(node, process, random.Next(Registers), cancellationToken);
                }
                else
                {
                    await WriteUniqueAsync(node, UniqueValueBytes, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The op was cut by the end of the run; its record is missing, which only drops an unknown op.
                break;
            }

            await Pace(15, cancellationToken);
        }
    }

    private static async Task Pace(int ms, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(ms, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // End of the run.
        }
    }
}
