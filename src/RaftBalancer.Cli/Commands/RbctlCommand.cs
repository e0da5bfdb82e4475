using System.CommandLine;

namespace RaftBalancer.Cli.Commands;

/// <summary>Builds rbctl's command tree.</summary>
internal static class RbctlCommand
{
    /// <summary>Creates the root command with every subcommand and the global options.</summary>
    /// <param name="console">Where commands write and what environment they read.</param>
    /// <returns>The root command.</returns>
    public static RootCommand Create(CliConsole console)
    {
        var globals = new GlobalOptions();
        var runner = new CommandRunner(console, globals);
        var root = new RootCommand("rbctl: administer a RaftBalancer cluster through any node's gRPC admin API.")
        {
            StatusCommand.Create(runner),
            BackendsCommand.Create(runner),
            PolicyCommand.Create(runner),
            WatchCommand.Create(runner),
            CertsCommand.Create(console),
        };
        globals.AddTo(root);
        return root;
    }
}
