using System.CommandLine;
using RaftBalancer.Cli.Output;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Cli.Commands;

/// <summary><c>rbctl status</c>: the Raft cluster as one node sees it.</summary>
internal static class StatusCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="runner">Runs the call.</param>
    /// <returns>The command.</returns>
    public static Command Create(CommandRunner runner)
    {
        var consistency = CommandOptions.Consistency();
        var command = new Command("status", "Show the cluster: members, roles, terms, indexes, lag and the leader.") { consistency };
        command.SetAction((parseResult, cancellationToken) => runner.CallAsync(
            parseResult,
            "status",
            idempotent: true,
            (client, options) => client.GetClusterStatusAsync(
                new GetClusterStatusRequest { Consistency = Names.ParseConsistency(parseResult.GetValue(consistency)) },
                options),
            ClusterStatusFormatter.WriteTable,
            ClusterStatusFormatter.WriteJson,
            cancellationToken));
        return command;
    }
}
