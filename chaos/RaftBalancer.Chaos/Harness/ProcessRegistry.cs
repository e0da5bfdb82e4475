using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RaftBalancer.Chaos.Harness;

/// <summary>Every process the harness started, so each is stopped by its PID even when a scenario fails.</summary>
internal sealed partial class ProcessRegistry : IDisposable
{
    private const int SigStop = 19;
    private const int SigCont = 18;

    private readonly ConcurrentDictionary<int, Process> _processes = new();

    public Process Start(string name, string dll, IEnumerable<string> args, string logPath, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["DOTNET_TieredPGO"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + name);
        _processes[process.Id] = process;
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var gate = new object();
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            lock (gate)
            {
                log.Dispose();
            }
        };
        return process;

        void Write(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                try
                {
                    log.WriteLine(line);
                }
                catch (ObjectDisposedException)
                {
                    // The process exited while a last line was in flight.
                }
            }
        }
    }

    /// <summary>SIGKILL by PID.</summary>
    public void Kill(Process process)
    {
        try
        {
            Signal(process.Id, SigCont);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _processes.TryRemove(process.Id, out _);
        }
    }

    /// <summary>SIGSTOP: the process freezes, its sockets stay open.</summary>
    public static void Pause(Process process) => Signal(process.Id, SigStop);

    /// <summary>SIGCONT.</summary>
    public static void Resume(Process process) => Signal(process.Id, SigCont);

    public void Dispose()
    {
        foreach (var process in _processes.Values)
        {
            Kill(process);
            process.Dispose();
        }
    }

    private static void Signal(int pid, int signal)
    {
        if (NativeKill(pid, signal) != 0)
        {
            // ESRCH: the process is already gone; nothing to do.
        }
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int NativeKill(int pid, int signal);
}
