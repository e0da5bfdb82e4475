using System.CommandLine;
using RaftBalancer.Cli.Output;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Cli.Commands;

/// <summary><c>rbctl policy set</c>: change the cluster's balancing policy.</summary>
internal static class PolicyCommand
{
    /// <summary>Creates the <c>policy</c> command group.</summary>
    /// <param name="runner">Runs the call.</param>
    /// <returns>The command.</returns>
    public static Command Create(CommandRunner runner)
    {
        var policy = new Option<string>("--policy", "-p")
        {
            Description = "The balancing policy.",
            Required = true,
        };
        policy.AcceptOnlyFromAmong(PolicyNames.All);

        var set = new Command("set", "Set the cluster's balancing policy.") { policy };
        set.SetAction((parseResult, cancellationToken) => runner.CallAsync(
            parseResult,
            "policy set",
            idempotent: false,
            (client, options) => client.SetPolicyAsync(new SetPolicyRequest { Policy = parseResult.GetRequiredValue(policy) }, options),
            (writer, reply) => MutationFormatter.WriteTable(writer, $"policy set to {reply.Policy}", reply.Result),
            (json, reply) =>
            {
                json.WriteString("policy", reply.Policy);
                MutationFormatter.WriteJson(json, reply.Result);
            },
            cancellationToken));

        return new Command("policy", "Manage the balancing policy.") { set };
    }
}
