using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace RaftBalancer.State.Tests.Raft;

/// <summary>One member of a <see cref="RaftTestCluster"/> running as its own process: the load program's <c>node</c> mode
/// (<c>tests/RaftBalancer.State.LoadTest</c>, the same program its failover figures kill), so it can be killed for real.</summary>
internal sealed class RaftMemberProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private RaftMemberProcess(Process process, string nodeId)
    {
        _process = process;
        NodeId = nodeId;
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string NodeId { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Gets what the process printed (last lines), for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Starts member <paramref name="index"/> of the cluster's membership as a process, on its ports and data directory.</summary>
    public static RaftMemberProcess Start(RaftTestCluster cluster, int index)
    {
        var program = typeof(RaftMemberProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RaftMemberProgram").Value!;
        if (!File.Exists(program))
        {
            throw new FileNotFoundException($"the member program was not built at {program} (the test project's reference to RaftBalancer.State.LoadTest builds it)", program);
        }

        var member = cluster.Members[index];
        var spec = string.Join(';', cluster.Members.Select(m => $"{m.Id}={m.RaftAddress},{m.ForwardAddress}"));
        var info = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { program, "node", member.Id, spec, cluster.DataDirectory(index) })
        {
            info.ArgumentList.Add(argument);
        }

        return new RaftMemberProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"), member.Id);
    }

    /// <summary>Waits until the member answers on its progress endpoint (it started its Raft listener before that).</summary>
    public async Task WaitUntilServingAsync(string forwardAddress, TimeSpan deadline)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"member process {NodeId} exited with code {_process.ExitCode}: {Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://{forwardAddress}/raftbalancer/v1/progress"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (stopwatch.Elapsed > deadline)
            {
                throw new TimeoutException($"member process {NodeId} (pid {Pid}) did not serve within {deadline.TotalSeconds} s: {Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Kills the process by its id with SIGKILL: no shutdown code of the member runs.</summary>
    public async Task KillAsync()
    {
        using (var victim = Process.GetProcessById(Pid))
        {
            victim.Kill();
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(wait.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 50 && _output.TryDequeue(out _))
        {
        }
    }
}
