using System.Collections.Concurrent;

namespace RaftBalancer.Chaos.Harness;

/// <summary>Every process the harness started, so each is stopped by its PID even when a scenario fails.</summary>
internal sealed class ProcessRegistry : IDisposable
{
    private readonly ConcurrentDictionary<int, ChildProcess> _processes = new();

    /// <summary>Starts a .NET program with small-footprint runtime settings (three nodes share two cores), logging to a file.</summary>
    public ChildProcess Start(string name, string dll, IEnumerable<string> args, string logPath, IDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string> { ["DOTNET_gcServer"] = "0", ["DOTNET_TieredPGO"] = "0" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var process = ChildProcess.StartDotnet(name, dll, args, env, logPath: logPath);
        _processes[process.Pid] = process;
        return process;
    }

    /// <summary>SIGKILL by PID (a paused process is resumed first so it can die).</summary>
    public void Kill(ChildProcess process)
    {
        process.Kill();
        _processes.TryRemove(process.Pid, out _);
    }

    public void Dispose()
    {
        foreach (var process in _processes.Values)
        {
            process.Kill();
            process.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _processes.Clear();
    }
}
