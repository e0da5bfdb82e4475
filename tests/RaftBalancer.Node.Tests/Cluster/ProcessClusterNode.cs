using System.Diagnostics;
using System.Runtime.InteropServices;
using RaftBalancer.Node.Tests.Infrastructure;

namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>A cluster node running as a real process: <c>dotnet RaftBalancer.Node.dll --config …</c>, the dll the tests were built with.</summary>
/// <remarks>Stopped by PID: <see cref="StopAsync"/> sends SIGTERM (SIGKILL after 10 s), <see cref="KillAsync"/> sends SIGKILL.</remarks>
internal sealed class ProcessClusterNode : ClusterNode
{
    private const int SigTerm = 15;
    private const int MaxLines = 400;
    private readonly Queue<string> _output = new();
    private readonly IReadOnlyDictionary<string, string> _environment;
    private Process? _process;

    /// <param name="endpoints">The node's id and ports (as in its config file).</param>
    /// <param name="configPath">The node's JSON config.</param>
    /// <param name="dataDir">The node's Raft data directory.</param>
    /// <param name="environment">Extra environment variables for the process (e.g. <c>RAFTBALANCER_</c> overrides).</param>
    public ProcessClusterNode(NodeEndpoints endpoints, string configPath, string dataDir, IReadOnlyDictionary<string, string>? environment = null)
        : base(endpoints, configPath, dataDir)
    {
        _environment = environment ?? new Dictionary<string, string>();
    }

    public override bool IsRunning => _process is { HasExited: false };

    /// <summary>The running process id, or null.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    public override string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public override async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException(Id + " is already running.");
        }

        var dll = RepoPaths.NodeDll;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException("Node binary not built: " + dll);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ConfigPath)!,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(ConfigPath);

        // Three nodes share two cores with the tests: workstation GC keeps each process small.
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.Exited += (_, _) => Capture("[" + Id + " exited with code " + process.ExitCode + "]");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        // Listening once the status endpoint answers.
        var deadline = DateTime.UtcNow + ClusterTimeouts.Start;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(Id + " exited with code " + process.ExitCode + " at start:\n" + RecentOutput);
            }

            try
            {
                using var response = await Admin.GetAsync(new Uri("/-/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(Id + " did not listen within " + ClusterTimeouts.Start + ":\n" + RecentOutput);
            }

            await Task.Delay(50);
        }
    }

    public override async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                _ = Kill(process.Id, SigTerm);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await process.WaitForExitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process = null;
            process.Dispose();
        }
    }

    public override async Task KillAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                // Process.Kill on Unix is SIGKILL: no shutdown hooks, no WAL flush beyond what was already written.
                process.Kill();
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            _process = null;
            process.Dispose();
        }
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > MaxLines)
            {
                _output.Dequeue();
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
