using System.CommandLine;

namespace RaftBalancer.Cli.Commands;

/// <summary><c>rbctl watch</c>: print each new routing view until interrupted.</summary>
internal static class WatchCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="runner">Runs the stream.</param>
    /// <returns>The command.</returns>
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("watch", "Print the routing view, then every new version, until Ctrl+C or the node ends the stream.");
        command.SetAction(runner.WatchAsync);
        return command;
    }
}
