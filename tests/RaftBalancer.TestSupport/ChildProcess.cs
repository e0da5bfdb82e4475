using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RaftBalancer.TestSupport;

/// <summary>A process a test or the chaos harness started: its output kept (last lines, and a log file if asked), stopped by its PID.</summary>
/// <remarks>
/// Signals go to the PID with <c>kill(2)</c>: SIGTERM for a graceful stop, SIGKILL for a crash (no shutdown code
/// runs), SIGSTOP/SIGCONT to pause and resume. Disposing kills the process if it still runs, so nothing a test
/// started outlives it. Every started process is also remembered process-wide, so <see cref="KillAll"/> can end
/// them all from an exit handler.
/// </remarks>
public sealed class ChildProcess : IAsyncDisposable
{
    /// <summary>SIGTERM.</summary>
    public const int SigTerm = 15;

    /// <summary>SIGKILL.</summary>
    public const int SigKill = 9;

    /// <summary>SIGSTOP.</summary>
    public const int SigStop = 19;

    /// <summary>SIGCONT.</summary>
    public const int SigCont = 18;

    private const int MaxLines = 400;
    private static readonly ConcurrentDictionary<int, ChildProcess> Running = new();

    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private readonly StreamWriter? _log;

    private ChildProcess(string name, Process process, StreamWriter? log)
    {
        Name = name;
        _process = process;
        _log = log;
        Pid = process.Id;
    }

    /// <summary>The name given at start, for messages.</summary>
    public string Name { get; }

    /// <summary>The process id.</summary>
    public int Pid { get; }

    /// <summary>True until the process exited.</summary>
    public bool IsRunning
    {
        get
        {
            try
            {
                return !_process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>The exit code, once exited.</summary>
    public int? ExitCode => IsRunning ? null : _process.ExitCode;

    /// <summary>The last lines the process wrote to stdout and stderr.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Starts a process.</summary>
    /// <param name="name">A name for messages.</param>
    /// <param name="fileName">The executable.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="workingDirectory">The working directory, or the caller's.</param>
    /// <param name="logPath">A file that gets every output line too, or none.</param>
    /// <returns>The running process.</returns>
    public static ChildProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        string? logPath = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var log = logPath is null ? null : new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.Start();
        var child = new ChildProcess(name, process, log);
        Running[child.Pid] = child;
        process.OutputDataReceived += (_, e) => child.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => child.Capture(e.Data);
        process.Exited += (_, _) =>
        {
            child.Capture("[" + name + " exited with code " + process.ExitCode + "]");
            Running.TryRemove(child.Pid, out _);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Starts a .NET assembly with the dotnet host that runs the caller.</summary>
    /// <param name="name">A name for messages.</param>
    /// <param name="dll">The assembly.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="workingDirectory">The working directory, or the caller's.</param>
    /// <param name="logPath">A file that gets every output line too, or none.</param>
    /// <returns>The running process.</returns>
    /// <exception cref="FileNotFoundException">The assembly was not built.</exception>
    public static ChildProcess StartDotnet(
        string name,
        string dll,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        string? logPath = null)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException(name + ": not built: " + dll, dll);
        }

        return Start(name, RepoPaths.DotnetHost, [dll, .. arguments], environment, workingDirectory, logPath);
    }

    /// <summary>SIGKILLs every process started through this class that still runs (for exit handlers).</summary>
    public static void KillAll()
    {
        foreach (var child in Running.Values)
        {
            child.Signal(SigCont);
            child.Signal(SigKill);
        }
    }

    /// <summary>Sends a signal to the PID; false when the process is gone.</summary>
    /// <param name="signal">The signal number.</param>
    /// <returns>True when it was delivered.</returns>
    public bool Signal(int signal) => IsRunning && Kill(Pid, signal) == 0;

    /// <summary>SIGKILL, as a crash would (a paused process is resumed first so it can die), and waits for the exit.</summary>
    /// <returns>A task that completes once the process exited.</returns>
    public async Task KillAsync()
    {
        Signal(SigCont);
        Signal(SigKill);
        await WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGKILL like <see cref="KillAsync"/>, for callers that cannot await; waits up to 10 s for the exit.</summary>
    public void Kill()
    {
        Signal(SigCont);
        Signal(SigKill);
        try
        {
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already disposed.
        }
    }

    /// <summary>SIGSTOP: the process freezes, its sockets stay open.</summary>
    /// <returns>True when the signal was delivered.</returns>
    public bool Pause() => Signal(SigStop);

    /// <summary>SIGCONT.</summary>
    /// <returns>True when the signal was delivered.</returns>
    public bool Resume() => Signal(SigCont);

    /// <summary>SIGTERM, then SIGKILL if the process did not exit within <paramref name="grace"/>.</summary>
    /// <param name="grace">How long a graceful stop may take.</param>
    /// <returns>True when the process exited on SIGTERM alone.</returns>
    public async Task<bool> StopAsync(TimeSpan grace)
    {
        Signal(SigCont);
        Signal(SigTerm);
        if (await WaitForExitAsync(grace))
        {
            return true;
        }

        await KillAsync();
        return false;
    }

    /// <summary>Waits for the process to exit.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>True when it exited within the time.</returns>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            await KillAsync();
        }

        Running.TryRemove(Pid, out _);
        _process.Dispose();
        lock (_lines)
        {
            _log?.Dispose();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > MaxLines)
            {
                _lines.Dequeue();
            }

            try
            {
                _log?.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Disposed while a last line was in flight.
            }
        }
    }
}
