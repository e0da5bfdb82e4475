using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace RaftBalancer.TestSupport;

/// <summary>A throw-away <c>redis-server</c> on a free loopback port in a temp directory, stopped by PID.</summary>
/// <remarks>
/// The binary is looked up on PATH; <c>RAFTBALANCER_REDIS_SERVER</c> overrides the lookup (a path, or anything that
/// does not exist to simulate a machine without Redis).
/// </remarks>
public sealed class RedisServer : IAsyncDisposable
{
    /// <summary>The environment variable that overrides the lookup.</summary>
    public const string OverrideVariable = "RAFTBALANCER_REDIS_SERVER";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly string _executable;
    private readonly string[] _extraArguments;
    private ChildProcess? _process;

    private RedisServer(string executable, int port, string directory, string[] extraArguments)
    {
        _executable = executable;
        Port = port;
        Directory = directory;
        _extraArguments = extraArguments;
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>Its data directory.</summary>
    public string Directory { get; }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>The process id while running.</summary>
    public int? ProcessId => _process?.Pid;

    /// <summary>Finds redis-server, or says why the Redis tests cannot run.</summary>
    /// <param name="skipReason">Why not, when not found.</param>
    /// <returns>The executable's path, or null.</returns>
    public static string? FindExecutable(out string skipReason)
    {
        var configured = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            skipReason = $"Redis tests skipped: {OverrideVariable}='{configured}' does not name an existing redis-server (install it: apt-get install -y redis-server; .ci/prereqs does this in CI).";
            return File.Exists(configured) ? configured : null;
        }

        skipReason = "Redis tests skipped: redis-server is not installed (not on PATH). Install it with 'apt-get install -y redis-server'; .ci/prereqs does this in CI.";
        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Starts a server and waits until it answers PING.</summary>
    /// <param name="extraArguments">More redis-server arguments.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="InvalidOperationException">redis-server is not installed, or exited at start.</exception>
    public static async Task<RedisServer> StartAsync(params string[] extraArguments)
    {
        var executable = FindExecutable(out var reason) ?? throw new InvalidOperationException(reason);
        var directory = System.IO.Directory.CreateTempSubdirectory("rb-redis-").FullName;
        var server = new RedisServer(executable, FreePorts.Next(), directory, extraArguments);
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
    /// <returns>A task that completes once the process exited.</returns>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }
    }

    /// <summary>Starts redis-server again on the same port and directory (loading dump.rdb if there is one).</summary>
    /// <returns>A task that completes once it answers PING.</returns>
    public Task RestartAsync() => StartProcessAsync();

    /// <inheritdoc />
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
        string[] arguments =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", Directory, "--save", string.Empty,
            "--appendonly", "no", "--daemonize", "no", "--logfile", Path.Combine(Directory, "redis.log"), .. _extraArguments,
        ];
        var process = ChildProcess.Start("redis-server", _executable, arguments);
        _process = process;
        await Poll.UntilAsync($"redis-server on port {Port} answers PING", StartTimeout, async ct =>
        {
            if (!process.IsRunning)
            {
                var log = Path.Combine(Directory, "redis.log");
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode}: {(File.Exists(log) ? await File.ReadAllTextAsync(log, ct) : "no log")}");
            }

            return await PingAsync();
        });
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
