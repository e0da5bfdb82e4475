using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RaftBalancer.State;
using RaftBalancer.State.Local;
using RaftBalancer.State.LoadTest;
using RaftBalancer.State.Raft;
using RaftBalancer.State.Redis;

// Load program for the Speed figures of the replicated state store.
//   dotnet <dll> [sequential=3000] [kills=9] [rounds=3]                              -> full run: Local, then bare DotNext
//                                                                                      and ours interleaved, then failover
//   dotnet run -c Release --project tests/RaftBalancer.State.LoadTest -- node <args>  -> one member (used by the kill test)
//   dotnet <dll> redis [seconds]                                                    -> Local, Redis, Raft: 1 and 32 writers
if (args is ["node", var nodeId, var memberSpec, var nodeDirectory])
{
    return await RunNodeAsync(nodeId, memberSpec, nodeDirectory);
}

if (args is ["redis", ..])
{
    return await RunStoreComparisonAsync(TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5));
}

if (args is ["profile", var which, var seconds])
{
    // One contender alone (ours | bare), for a CPU profiler: sequential writes, then 32 writers, each for the given time.
    return await ProfileAsync(which, TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)));
}

var sequential = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3000;
var kills = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 9;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
var throughputWindow = TimeSpan.FromSeconds(5);
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInfoText()}; load average at start: {LoadAverageText()}");

await using (var local = new LocalStateStore())
{
    await MeasureAsync("LocalStateStore", StoreWriter(local), sequential, throughputWindow);
    await MeasureWatchDeliveryAsync("LocalStateStore", local, local, sequential / 3);
}

var root = Path.Combine(Path.GetTempPath(), "rb-load-" + Guid.NewGuid().ToString("N"));
try
{
    // Ours and the bare DotNext baselines run side by side in this process and are measured in interleaved rounds
    // (order alternating), so every ratio compares figures taken under the same machine load.
    var members = Members(3);
    var stores = await Task.WhenAll(members.Select(m => RaftStateStore.StartAsync(Options(m.Id, members, Path.Combine(root, m.Id)))));
    await using var bareCustom = await BareDotNextCluster.StartAsync(Path.Combine(root, "bare-custom"), BareTransport.Custom, Addresses(3));
    await using var bareTcp = await BareDotNextCluster.StartAsync(Path.Combine(root, "bare-tcp"), BareTransport.Tcp, Addresses(3));
    try
    {
        var leaderId = await stores[0].WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        var leader = stores.Single(s => s.NodeId == leaderId);
        var payload = new byte[OurEntrySize(leaderId)];
        var bareCustomWrite = await bareCustom.LeaderWriterAsync();
        var bareTcpWrite = await bareTcp.LeaderWriterAsync();
        var contenders = new (string Name, Func<string, Task> Write)[]
        {
            ("bare DotNext, custom transport (as ours)", _ => bareCustomWrite(payload)),
            ("RaftStateStore, writes on the leader", StoreWriter(leader)),
            ("bare DotNext, TCP transport", _ => bareTcpWrite(payload)),
        };
        Console.WriteLine($"bare DotNext payload: {payload.Length} bytes (the size of our encoded 64-byte Set entry); {rounds} interleaved rounds");
        var results = contenders.Select(_ => new List<WriteFigures>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            Console.WriteLine($"round {round + 1}: load average {LoadAverageText()}");
            var order = Enumerable.Range(0, contenders.Length).ToArray();
            if (round % 2 == 1)
            {
                Array.Reverse(order);
            }

            foreach (var c in order)
            {
                results[c].Add(await MeasureAsync("  " + contenders[c].Name, contenders[c].Write, sequential, throughputWindow));
            }

            var (bare, ours) = (results[0][^1], results[1][^1]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  ratio ours/bare (custom transport), round {round + 1}: median x{ours.Median / bare.Median:F2}, p99 x{ours.P99 / bare.P99:F2}, 32 writers x{ours.Rate / bare.Rate:F2}"));
        }

        Console.WriteLine($"summary over {rounds} rounds (median of the per-round figures); load average now {LoadAverageText()}:");
        for (var c = 0; c < contenders.Length; c++)
        {
            var r = results[c];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {contenders[c].Name}: median {Mid(r, f => f.Median):F3} ms, p99 {Mid(r, f => f.P99):F3} ms, 32 writers {Mid(r, f => f.Rate):F0} commits/s"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  ours/bare (custom transport), median of per-round ratios: median x{Mid(Enumerable.Range(0, rounds).ToList(), i => results[1][i].Median / results[0][i].Median):F2}, p99 x{Mid(Enumerable.Range(0, rounds).ToList(), i => results[1][i].P99 / results[0][i].P99):F2}, 32 writers x{Mid(Enumerable.Range(0, rounds).ToList(), i => results[1][i].Rate / results[0][i].Rate):F2}"));

        var follower = stores.First(s => s.NodeId != leaderId);
        await MeasureAsync("RaftStateStore (writes on a follower, forwarded)", StoreWriter(follower), sequential / 3, throughputWindow);
        await MeasureWatchDeliveryAsync("RaftStateStore (write on the leader, watcher on a follower)", leader, follower, sequential / 3);
        Console.WriteLine($"RaftStateStore WAL faults fenced and recovered: {string.Join(", ", stores.Select(s => $"{s.NodeId} {s.LogRecoveries}"))}; still faulted: {stores.Count(s => s.LogFault is not null)}");
    }
    finally
    {
        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }
    }

    if (kills > 0)
    {
        Console.WriteLine($"failover: load average {LoadAverageText()}");
        await MeasureFailoverAsync(Path.Combine(root, "procs"), kills);
    }
}
finally
{
    try
    {
        Directory.Delete(root, recursive: true);
    }
    catch (IOException)
    {
    }
}

return 0;

static async Task<int> ProfileAsync(string which, TimeSpan duration)
{
    var root = Path.Combine(Path.GetTempPath(), "rb-load-" + Guid.NewGuid().ToString("N"));
    var members = Members(3);
    IAsyncDisposable cluster;
    Func<string, Task> write;
    if (which == "ours")
    {
        var stores = await Task.WhenAll(members.Select(m => RaftStateStore.StartAsync(Options(m.Id, members, Path.Combine(root, m.Id)))));
        var leaderId = await stores[0].WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        write = StoreWriter(stores.Single(s => s.NodeId == leaderId));
        cluster = new AsyncDisposables(stores);
    }
    else
    {
        var bare = await BareDotNextCluster.StartAsync(root, which == "bare-tcp" ? BareTransport.Tcp : BareTransport.Custom, Addresses(3));
        var payload = new byte[OurEntrySize("n1")];
        var bareWrite = await bare.LeaderWriterAsync();
        write = _ => bareWrite(payload);
        cluster = bare;
    }

    try
    {
        Console.WriteLine($"profiling {which}: pid {Environment.ProcessId}, load average {LoadAverageText()}");
        var count = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            await write($"load/{count++ % 500}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  sequential: {count / watch.Elapsed.TotalSeconds:F0} writes/s ({watch.Elapsed.TotalMilliseconds / count:F3} ms mean)"));
        var commits = 0L;
        using var stop = new CancellationTokenSource(duration);
        watch.Restart();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(w => Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                await write($"load/w{w}/{i++ % 100}");
                Interlocked.Increment(ref commits);
            }
        })));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  32 writers: {commits / watch.Elapsed.TotalSeconds:F0} commits/s; load average {LoadAverageText()}"));
    }
    finally
    {
        await cluster.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    return 0;
}

static Func<string, Task> StoreWriter(IStateStore store)
{
    var value = new byte[64];
    if (store is not RaftStateStore raft)
    {
        return key => store.SetAsync(key, value).AsTask();
    }

    // A node whose WAL faulted (DotNext's flush race, docs/dotnext-wal-flush-race.md) refuses writes until it has
    // reopened its log; the write is retried then, and the fault is counted in the summary, never hidden.
    return async key =>
    {
        while (true)
        {
            try
            {
                await raft.SetAsync(key, value);
                return;
            }
            catch (StateStoreUnavailableException) when (raft.LogFault is not null)
            {
                var deadline = Stopwatch.StartNew();
                while (raft.LogFault is not null && deadline.Elapsed < TimeSpan.FromSeconds(30))
                {
                    await Task.Delay(10);
                }
            }
        }
    };
}

static async Task<WriteFigures> MeasureAsync(string name, Func<string, Task> write, int count, TimeSpan window)
{
    for (var i = 0; i < 200; i++)
    {
        await write($"warmup/{i}");
    }

    var samples = new double[count];
    for (var i = 0; i < count; i++)
    {
        var start = Stopwatch.GetTimestamp();
        await write($"load/{i % 500}");
        samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    Array.Sort(samples);
    var commits = 0L;
    using var stop = new CancellationTokenSource(window);
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, 32).Select(w => Task.Run(async () =>
    {
        var i = 0;
        while (!stop.IsCancellationRequested)
        {
            await write($"load/w{w}/{i++ % 100}");
            Interlocked.Increment(ref commits);
        }
    })));
    var rate = commits / watch.Elapsed.TotalSeconds;
    var figures = new WriteFigures(Percentile(samples, 0.5), Percentile(samples, 0.99), samples[^1], rate);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: sequential Set x{count}: median {figures.Median:F3} ms, p99 {figures.P99:F3} ms, max {figures.Max:F1} ms; 32 writers: {rate:F0} commits/s"));
    return figures;
}

static double Mid<T>(List<T> items, Func<T, double> figure)
{
    var sorted = items.Select(figure).Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

// The length of our framed entry for a 64-byte Set of a "load/NNN" key, so the baseline replicates as many bytes.
static int OurEntrySize(string nodeId) => 12 + new RaftBalancer.Contracts.V1.StateLogEntry
{
    FormatVersion = 1,
    OriginNodeId = nodeId,
    TimestampUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
    Set = new RaftBalancer.Contracts.V1.SetCommand { Key = "load/123", Value = Google.Protobuf.ByteString.CopyFrom(new byte[64]) },
}.CalculateSize();

static List<IPEndPoint> Addresses(int size) => Members(size).Select(m => IPEndPoint.Parse(m.RaftAddress)).ToList();

static string LoadAverageText()
{
    try
    {
        return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "?";
    }
}

static async Task MeasureFailoverAsync(string root, int kills)
{
    var members = Members(3);
    var spec = string.Join(';', members.Select(m => $"{m.Id}={m.RaftAddress},{m.ForwardAddress}"));
    var processes = new Dictionary<string, Process>();
    using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(500) };
    var self = Environment.ProcessPath!;
    var entry = typeof(MeasureAsyncMarker).Assembly.Location;
    Process Start(string id)
    {
        var info = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(entry);
        }

        foreach (var a in new[] { "node", id, spec, Path.Combine(root, id) })
        {
            info.ArgumentList.Add(a);
        }

        var p = Process.Start(info)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"[{id}] {e.Data}");
            }
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    async Task<Dictionary<string, (string Leader, long Term)>> ViewsAsync()
    {
        var views = new Dictionary<string, (string, long)>();
        foreach (var m in members)
        {
            try
            {
                var bytes = await http.GetByteArrayAsync(new Uri($"http://{m.ForwardAddress}/raftbalancer/v1/progress"));
                var progress = RaftBalancer.Contracts.V1.NodeProgress.Parser.ParseFrom(bytes.AsSpan(12));
                views[m.Id] = (progress.LeaderId, progress.Term);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
        }

        return views;
    }

    async Task<string> AgreedLeaderAsync(string? excluded, TimeSpan deadline)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < deadline)
        {
            var views = await ViewsAsync();
            var alive = views.Where(v => v.Key != excluded).ToList();
            if (alive.Count >= 2 && alive.Select(v => v.Value.Leader).Distinct().ToList() is [{ Length: > 0 } leader] && leader != excluded)
            {
                return leader;
            }

            await Task.Delay(5);
        }

        throw new TimeoutException("no agreed leader");
    }

    try
    {
        foreach (var m in members)
        {
            processes[m.Id] = Start(m.Id);
        }

        var leader = await AgreedLeaderAsync(null, TimeSpan.FromSeconds(60));
        var samples = new List<double>();
        for (var k = 0; k < kills; k++)
        {
            var victim = processes[leader];
            var watch = Stopwatch.StartNew();
            victim.Kill(entireProcessTree: true); // SIGKILL
            var next = await AgreedLeaderAsync(leader, TimeSpan.FromSeconds(60));
            var elapsed = watch.Elapsed.TotalMilliseconds;
            samples.Add(elapsed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  kill {k + 1}: SIGKILL {leader} -> {next} agreed by survivors after {elapsed:F0} ms"));
            await victim.WaitForExitAsync();
            victim.Dispose();
            processes[leader] = Start(leader);
            var back = Stopwatch.StartNew();
            while ((await ViewsAsync()).Count < 3 && back.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50);
            }

            await Task.Delay(1000); // let the restarted member settle as a follower before the next kill
            leader = await AgreedLeaderAsync(null, TimeSpan.FromSeconds(60));
        }

        var sorted = samples.Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Failover (3 processes, SIGKILL of the leader, x{kills}): median {Percentile(sorted, 0.5):F0} ms, min {sorted[0]:F0} ms, max {sorted[^1]:F0} ms (time until both survivors report the same new leader, polled every ~5 ms)"));
    }
    finally
    {
        foreach (var p in processes.Values)
        {
            try
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
            }

            p.Dispose();
        }
    }
}

static async Task<int> RunNodeAsync(string id, string spec, string dataDirectory)
{
    var options = new RaftStoreOptions { NodeId = id, DataDirectory = dataDirectory };
    foreach (var part in spec.Split(';'))
    {
        var (memberId, addresses) = (part[..part.IndexOf('=')], part[(part.IndexOf('=') + 1)..].Split(','));
        options.Members.Add(new RaftMemberOptions { Id = memberId, RaftAddress = addresses[0], ForwardAddress = addresses[1] });
    }

    await using var store = await RaftStateStore.StartAsync(options);
    await Task.Delay(Timeout.Infinite);
    return 0;
}

static async Task<int> RunStoreComparisonAsync(TimeSpan window)
{
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInfoText()}; each row: {window.TotalSeconds:F0} s of 64-byte Sets, latency per Set");
    await using (var local = new LocalStateStore())
    {
        await MeasureWritersAsync("LocalStateStore", local, window);
    }

    var redisServer = Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, "redis-server")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("redis-server is not on PATH (apt-get install -y redis-server)");
    var directory = Path.Combine(Path.GetTempPath(), "rb-load-redis-" + Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(directory);
    var port = Members(1)[0].RaftAddress.Split(':')[1];
    var info = new ProcessStartInfo(redisServer) { UseShellExecute = false, RedirectStandardOutput = true };
    foreach (var a in new[] { "--port", port, "--bind", "127.0.0.1", "--dir", directory, "--save", string.Empty, "--appendonly", "no" })
    {
        info.ArgumentList.Add(a);
    }

    using var redis = Process.Start(info)!;
    redis.OutputDataReceived += (_, _) => { };
    redis.BeginOutputReadLine();
    try
    {
        var options = new RedisStoreOptions { NodeId = "n1", ConnectionString = $"127.0.0.1:{port}", KeyPrefix = "load:", StartupTimeout = TimeSpan.FromSeconds(20) };
        await using (var store = await RedisStateStore.StartAsync(options))
        {
            var version = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(options.ConnectionString);
            Console.WriteLine($"redis-server {version.GetServer(options.ConnectionString).Version} on 127.0.0.1:{port} (no persistence)");
            await version.DisposeAsync();
            await MeasureWritersAsync("RedisStateStore", store, window);
            await using var second = await RedisStateStore.StartAsync(new RedisStoreOptions { NodeId = "n2", ConnectionString = options.ConnectionString, KeyPrefix = options.KeyPrefix, StartupTimeout = options.StartupTimeout });
            await MeasureWatchDeliveryAsync("RedisStateStore (write through n1, watcher on n2)", store, second, 1000);
        }
    }
    finally
    {
        redis.Kill();
        await redis.WaitForExitAsync();
        Directory.Delete(directory, recursive: true);
    }

    var root = Path.Combine(Path.GetTempPath(), "rb-load-" + Guid.NewGuid().ToString("N"));
    var members = Members(3);
    var stores = await Task.WhenAll(members.Select(m => RaftStateStore.StartAsync(Options(m.Id, members, Path.Combine(root, m.Id)))));
    try
    {
        var leaderId = await stores[0].WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        await MeasureWritersAsync("RaftStateStore (3 members in-process, writes on the leader)", stores.Single(s => s.NodeId == leaderId), window);
        await MeasureWatchDeliveryAsync("RaftStateStore (write on the leader, watcher on a follower)", stores.Single(s => s.NodeId == leaderId), stores.First(s => s.NodeId != leaderId), 1000);
    }
    finally
    {
        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }

        Directory.Delete(root, recursive: true);
    }

    return 0;
}

// Watch delivery: from the start of a Set on one store to the event reaching a watcher of another (the 100 ms target).
static async Task MeasureWatchDeliveryAsync(string name, IStateStore writer, IStateStore watcherStore, int count)
{
    var arrivals = new System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<long>>(StringComparer.Ordinal);
    using var stop = new CancellationTokenSource();
    using var watch = watcherStore.Watch("watchlat/", stop.Token);
    var reader = Task.Run(async () =>
    {
        try
        {
            await foreach (var e in watch.WithCancellation(stop.Token))
            {
                var now = Stopwatch.GetTimestamp();
                if (arrivals.TryGetValue(e.Key, out var arrival))
                {
                    arrival.TrySetResult(now);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    });

    var value = new byte[64];
    var samples = new double[count];
    for (var i = 0; i < count; i++)
    {
        var key = $"watchlat/{i}";
        var arrival = arrivals[key] = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = Stopwatch.GetTimestamp();
        await writer.SetAsync(key, value);
        var arrived = await arrival.Task.WaitAsync(TimeSpan.FromSeconds(10));
        samples[i] = Stopwatch.GetElapsedTime(start, arrived).TotalMilliseconds;
    }

    await stop.CancelAsync();
    await reader;
    Array.Sort(samples);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: watch delivery x{count} (Set start -> event at the watcher): median {Percentile(samples, 0.5):F3} ms, p99 {Percentile(samples, 0.99):F3} ms, max {samples[^1]:F1} ms (target <= 100 ms)"));
}

static async Task MeasureWritersAsync(string name, IStateStore store, TimeSpan window)
{
    var value = new byte[64];
    for (var i = 0; i < 200; i++)
    {
        await store.SetAsync($"warmup/{i}", value);
    }

    foreach (var writers in new[] { 1, 32 })
    {
        var samples = new List<double>[writers];
        using var stop = new CancellationTokenSource(window);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var mine = samples[w] = new List<double>(100_000);
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                await store.SetAsync($"load/w{w}/{i++ % 100}", value);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })));
        var elapsed = watch.Elapsed.TotalSeconds;
        var all = samples.SelectMany(s => s).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}, {writers,2} writer(s): median {Percentile(all, 0.5):F3} ms, p99 {Percentile(all, 0.99):F3} ms, {all.Length / elapsed:F0} Sets/s ({all.Length} Sets)"));
    }
}

static RaftStoreOptions Options(string id, IReadOnlyList<RaftMemberOptions> members, string dir)
{
    var options = new RaftStoreOptions { NodeId = id, DataDirectory = dir };
    foreach (var m in members)
    {
        options.Members.Add(m);
    }

    return options;
}

static List<RaftMemberOptions> Members(int size)
{
    var listeners = Enumerable.Range(0, size * 2).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
    listeners.ForEach(l => l.Start());
    var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
    listeners.ForEach(l => l.Stop());
    return Enumerable.Range(0, size).Select(i => new RaftMemberOptions
    {
        Id = $"n{i + 1}",
        RaftAddress = $"127.0.0.1:{ports[2 * i]}",
        ForwardAddress = $"127.0.0.1:{ports[(2 * i) + 1]}",
    }).ToList();
}

static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static string RuntimeInfoText() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

internal sealed class MeasureAsyncMarker;

internal sealed class AsyncDisposables(IEnumerable<IAsyncDisposable> items) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        foreach (var item in items)
        {
            await item.DisposeAsync();
        }
    }
}

internal sealed record WriteFigures(double Median, double P99, double Max, double Rate);
