namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>A cluster node running as a real process: <c>dotnet RaftBalancer.Node.dll --config …</c>, the dll the tests were built with.</summary>
/// <remarks>Stopped by PID: <see cref="StopAsync"/> sends SIGTERM (SIGKILL after 10 s), <see cref="KillAsync"/> sends SIGKILL.</remarks>
internal sealed class ProcessClusterNode : ClusterNode
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private readonly IReadOnlyDictionary<string, string> _environment;
    private ChildProcess? _process;
    private string _lastOutput = string.Empty;

    public ProcessClusterNode(NodeEndpoints endpoints, string configPath, string dataDir, IReadOnlyDictionary<string, string>? environment = null)
        : base(endpoints, configPath, dataDir)
    {
        _environment = environment ?? new Dictionary<string, string>();
    }

    public override bool IsRunning => _process is { IsRunning: true };

    public int? ProcessId => _process is { IsRunning: true } p ? p.Pid : null;

    public override string RecentOutput => _process?.RecentOutput ?? _lastOutput;

    public override async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException(Id + " is already running.");
        }

        // Three nodes share two cores with the tests: workstation GC keeps each process small.
        var environment = new Dictionary<string, string>(_environment) { ["DOTNET_gcServer"] = _environment.GetValueOrDefault("DOTNET_gcServer", "0") };
        var process = ChildProcess.StartDotnet(Id, RepoPaths.NodeDll, ["--config", ConfigPath], environment, Path.GetDirectoryName(ConfigPath)!);
        _process = process;

        // Listening once the ready endpoint answers.
        try
        {
            await Poll.UntilAsync(Id + " listens", ClusterTimeouts.Start, async ct =>
            {
                if (!process.IsRunning)
                {
                    throw new InvalidOperationException(Id + " exited with code " + process.ExitCode + " at start:\n" + process.RecentOutput);
                }

                using var response = await Admin.GetAsync(new Uri("/-/ready", UriKind.Relative), ct);
                return response.IsSuccessStatusCode;
            });
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(Id + " did not listen within " + ClusterTimeouts.Start + ":\n" + process.RecentOutput);
        }
    }

    /// <summary>SIGTERM, then SIGKILL after a grace period.</summary>
    public override async Task StopAsync()
    {
        if (_process is { } process)
        {
            await process.StopAsync(StopGrace);
            await ForgetAsync(process);
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no WAL flush beyond what was already written.</summary>
    public override async Task KillAsync()
    {
        if (_process is { } process)
        {
            await process.KillAsync();
            await ForgetAsync(process);
        }
    }

    private async Task ForgetAsync(ChildProcess process)
    {
        _lastOutput = process.RecentOutput;
        _process = null;
        await process.DisposeAsync();
    }
}
