namespace RaftBalancer.Cli.Tests.Infrastructure;

/// <summary>What one rbctl invocation produced.</summary>
internal sealed record RbctlResult(int ExitCode, string Out, string Error)
{
    /// <summary>Parses standard output as exactly one JSON object.</summary>
    public JsonElement Json()
    {
        var lines = Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one JSON line, got {lines.Length}:\n{Out}\nstderr:\n{Error}");
        using var document = JsonDocument.Parse(lines[0]);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";
}
