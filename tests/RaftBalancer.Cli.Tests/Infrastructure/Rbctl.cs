namespace RaftBalancer.Cli.Tests.Infrastructure;

/// <summary>Runs rbctl in-process with captured output and a controlled environment.</summary>
internal static class Rbctl
{
    public static Task<RbctlResult> RunAsync(params string[] args) => RunAsync(args, environment: null, CancellationToken.None);

    public static async Task<RbctlResult> RunAsync(
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string>? environment,
        CancellationToken cancellationToken,
        CapturingWriter? output = null)
    {
        output ??= new CapturingWriter();
        var error = new CapturingWriter();
        var console = new CliConsole(
            output,
            error,
            name => environment is not null && environment.TryGetValue(name, out var value) ? value : null,
            TimeProvider.System,
            HandleTermination: false);
        var exitCode = await RbctlApplication.RunAsync(args, console, cancellationToken);
        return new RbctlResult(exitCode, output.ToString(), error.ToString());
    }
}
