using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using RaftBalancer.Node.Tests.Infrastructure;

namespace RaftBalancer.Node.Tests.Redis;

/// <summary>A throw-away <c>redis-server</c> on a free loopback port in a temp directory, stopped by PID.</summary>
/// <remarks>Looked up on PATH; <c>RAFTBALANCER_REDIS_SERVER</c> overrides the lookup (a path, or a missing file to simulate no Redis).</remarks>
internal sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServerProcess(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    public string Directory { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static string? Find(out string skipReason)
    {
        var configured = Environment.GetEnvironmentVariable("RAFTBALANCER_REDIS_SERVER");
        var candidates = !string.IsNullOrEmpty(configured)
            ? [configured]
            : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "redis-server"));
        skipReason = "Redis tests skipped: redis-server is not installed (install it with 'apt-get install -y redis-server'; .ci/prereqs does this in CI).";
        return candidates.FirstOrDefault(File.Exists);
    }

    public static async Task<RedisServerProcess> StartAsync()
    {
        var executable = Find(out var reason) ?? throw new InvalidOperationException(reason);
        var directory = System.IO.Directory.CreateTempSubdirectory("rb-redis-").FullName;
        var port = FreePort.Next();
        var info = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory, "--save", string.Empty, "--appendonly", "no" })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var server = new RedisServerProcess(process, port, directory);
        try
        {
            await Eventually.AssertAsync(server.PingAsync, TimeSpan.FromSeconds(20), "redis-server answers PING");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<bool> PingAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}");
        }

        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }
}
