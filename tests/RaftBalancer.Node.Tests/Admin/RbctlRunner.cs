using System.Text;
using System.Text.Json;
using RaftBalancer.Cli;

namespace RaftBalancer.Node.Tests.Admin;

/// <summary>Runs rbctl in-process through its entry point with captured output and no ambient environment.</summary>
internal static class RbctlRunner
{
    public static async Task<RbctlRun> RunAsync(params string[] args) => await RunAsync(args, CancellationToken.None);

    public static async Task<RbctlRun> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken, SyncWriter? output = null)
    {
        output ??= new SyncWriter();
        var error = new SyncWriter();
        var console = new CliConsole(output, error, _ => null, TimeProvider.System, HandleTermination: false);
        var exitCode = await RbctlApplication.RunAsync(args, console, cancellationToken);
        return new RbctlRun(exitCode, output.ToString(), error.ToString());
    }
}

/// <summary>What one rbctl run produced.</summary>
internal sealed record RbctlRun(int ExitCode, string Out, string Error)
{
    public JsonElement Json()
    {
        var lines = Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, "expected one JSON line: " + this);
        using var document = JsonDocument.Parse(lines[0]);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";
}

/// <summary>A thread-safe writer that tests can read while rbctl still writes (watch).</summary>
internal sealed class SyncWriter : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _text.Append(value).Append('\n');
        }
    }

    public IReadOnlyList<string> Lines()
    {
        lock (_gate)
        {
            return _text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }
}
