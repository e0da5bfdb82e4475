using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using RaftBalancer.State.Tests.Raft;

namespace RaftBalancer.State.Tests.Redis;

/// <summary>A throw-away <c>redis-server</c> on a free loopback port in a temp directory, stopped by PID.</summary>
/// <remarks>
/// The binary is looked up on PATH; <c>RAFTBALANCER_REDIS_SERVER</c> overrides the lookup (a path, or anything
/// that does not exist to simulate a machine without Redis).
/// </remarks>
internal sealed class RedisServer : IAsyncDisposable
{
    public const string OverrideVariable = "RAFTBALANCER_REDIS_SERVER";

    private readonly string _executable;
    private readonly string[] _extraArguments;
    private Process? _process;

    private RedisServer(string executable, int port, string directory, string[] extraArguments)
    {
        _executable = executable;
        Port = port;
        Directory = directory;
        _extraArguments = extraArguments;
    }

    public int Port { get; }

    public string Directory { get; }

    public string Address => $"127.0.0.1:{Port}";

    public int? ProcessId => _process?.Id;

    /// <summary>Finds redis-server, or says why the Redis tests are skipped.</summary>
    public static string? FindExecutable(out string skipReason)
    {
        var configured = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            skipReason = $"Redis tests skipped: {OverrideVariable}='{configured}' does not name an existing redis-server (install it: apt-get install -y redis-server; .ci/prereqs does this in CI).";
            return File.Exists(configured) ? configured : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate))
            {
                skipReason = string.Empty;
                return candidate;
            }
        }

        skipReason = "Redis tests skipped: redis-server is not installed (not on PATH). Install it with 'apt-get install -y redis-server'; .ci/prereqs does this in CI.";
        return null;
    }

    public static async Task<RedisServer> StartAsync(params string[] extraArguments)
    {
        var executable = FindExecutable(out var reason) ?? throw new InvalidOperationException(reason);
        var directory = Path.Combine(Path.GetTempPath(), "rb-redis-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var server = new RedisServer(executable, FreePorts.Take(1)[0], directory, extraArguments);
        try
        {
            await server.StartProcessAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>SIGKILL, as a crash would; the data set is lost unless SAVE wrote dump.rdb.</summary>
    public async Task KillAsync()
    {
        if (_process is { } p)
        {
            _process = null;
            try
            {
                p.Kill();
                await p.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
            }

            p.Dispose();
        }
    }

    /// <summary>Starts redis-server again on the same port and directory (loading dump.rdb if there is one).</summary>
    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartProcessAsync()
    {
        var info = new ProcessStartInfo(_executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", Directory, "--save", string.Empty, "--appendonly", "no", "--daemonize", "no", "--logfile", Path.Combine(Directory, "redis.log") })
        {
            info.ArgumentList.Add(a);
        }

        foreach (var a in _extraArguments)
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                var log = Path.Combine(Directory, "redis.log");
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode}: {(File.Exists(log) ? await File.ReadAllTextAsync(log) : "no log")}");
            }

            if (await PingAsync())
            {
                return;
            }

            if (watch.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"redis-server on port {Port} did not answer PING within 20 s");
            }

            await Task.Delay(20);
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }
}
