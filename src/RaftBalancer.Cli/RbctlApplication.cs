using System.CommandLine;
using RaftBalancer.Cli.Commands;

namespace RaftBalancer.Cli;

/// <summary>Parses an rbctl command line, runs it and maps the outcome to an exit code.</summary>
internal static class RbctlApplication
{
    /// <summary>Runs one rbctl invocation.</summary>
    /// <param name="args">The command line, without the executable name.</param>
    /// <param name="console">Where to write and what environment to read.</param>
    /// <param name="cancellationToken">Ends the command early (for <c>watch</c>: the normal way to stop).</param>
    /// <returns>One of <see cref="ExitCodes"/>.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);

        var root = RbctlCommand.Create(console);
        var parseResult = root.Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            ProcessTerminationTimeout = console.HandleTermination ? TimeSpan.FromSeconds(2) : null,
        };

        var exitCode = await parseResult.InvokeAsync(configuration, cancellationToken);

        // System.CommandLine reports parse errors with exit code 1; rbctl keeps 1 for "the server said no".
        return parseResult.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
    }
}
