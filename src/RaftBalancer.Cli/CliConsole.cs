namespace RaftBalancer.Cli;

/// <summary>Where rbctl writes and what it reads from its environment; tests pass their own.</summary>
/// <param name="Out">Command output: tables, JSON objects, help.</param>
/// <param name="Error">Diagnostics: parse errors, refusals, unreachable nodes.</param>
/// <param name="GetEnvironmentVariable">Reads an environment variable; null when unset.</param>
/// <param name="TimeProvider">The clock used for call deadlines.</param>
/// <param name="HandleTermination">True to turn Ctrl+C and SIGTERM into cancellation (the real process only).</param>
internal sealed record CliConsole(
    TextWriter Out,
    TextWriter Error,
    Func<string, string?> GetEnvironmentVariable,
    TimeProvider TimeProvider,
    bool HandleTermination)
{
    /// <summary>The environment variable holding the admin token when <c>--token</c> is not given.</summary>
    public const string TokenVariable = "RAFTBALANCER_ADMIN_TOKEN";

    /// <summary>The environment variable naming the CA file to trust for https nodes when <c>--ca</c> is not given.</summary>
    public const string CaVariable = "RAFTBALANCER_CA";

    /// <summary>The environment variable holding the node list when <c>--node</c> is not given.</summary>
    public const string NodesVariable = "RAFTBALANCER_NODES";

    /// <summary>The process's console, environment and clock.</summary>
    /// <returns>A console bound to the process.</returns>
    public static CliConsole FromProcess() =>
        new(Console.Out, Console.Error, Environment.GetEnvironmentVariable, TimeProvider.System, HandleTermination: true);
}
