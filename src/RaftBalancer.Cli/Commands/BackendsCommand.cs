using System.CommandLine;
using RaftBalancer.Cli.Output;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Cli.Commands;

/// <summary><c>rbctl backends ...</c>: list and change the backend pool.</summary>
internal static class BackendsCommand
{
    /// <summary>Creates the <c>backends</c> command group.</summary>
    /// <param name="runner">Runs the calls.</param>
    /// <returns>The command.</returns>
    public static Command Create(CommandRunner runner) => new("backends", "List and change the backend pool.")
    {
        List(runner),
        Add(runner),
        Remove(runner),
        SetWeight(runner),
        Drain(runner),
        Undrain(runner),
    };

    private static Command List(CommandRunner runner)
    {
        var consistency = CommandOptions.Consistency();
        var command = new Command("list", "List backends with each node's health report, the cluster verdict, active requests and this node's breaker.") { consistency };
        command.SetAction((parseResult, cancellationToken) => runner.CallAsync(
            parseResult,
            "backends list",
            idempotent: true,
            (client, options) => client.ListBackendsAsync(
                new ListBackendsRequest { Consistency = Names.ParseConsistency(parseResult.GetValue(consistency)) },
                options),
            BackendFormatter.WriteTable,
            BackendFormatter.WriteJson,
            cancellationToken));
        return command;
    }

    private static Command Add(CommandRunner runner)
    {
        var id = CommandOptions.Id();
        var url = CommandOptions.Url();
        var weight = CommandOptions.Weight(required: false);
        var metadata = CommandOptions.Metadata();
        var command = new Command("add", "Add a backend.") { id, url, weight, metadata };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var request = new AddBackendRequest
            {
                Id = parseResult.GetRequiredValue(id),
                Url = parseResult.GetRequiredValue(url),
                Weight = parseResult.GetValue(weight),
            };
            request.Metadata.Add(CommandOptions.ToMap(parseResult.GetValue(metadata)));
            return runner.CallAsync(
                parseResult,
                "backends add",
                idempotent: false,
                (client, options) => client.AddBackendAsync(request, options),
                (writer, reply) => MutationFormatter.WriteTable(writer, "added backend " + BackendFormatter.Describe(reply.Backend ?? Echo(request)), reply.Result),
                (json, reply) =>
                {
                    json.WriteString("id", request.Id ?? string.Empty);
                    BackendFormatter.WriteConfig(json, "backend", reply.Backend);
                    MutationFormatter.WriteJson(json, reply.Result);
                },
                cancellationToken);
        });
        return command;
    }

    private static Command Remove(CommandRunner runner)
    {
        var id = CommandOptions.Id();
        var command = new Command("remove", "Remove a backend.") { id };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var backendId = parseResult.GetRequiredValue(id);
            return runner.CallAsync(
                parseResult,
                "backends remove",
                idempotent: false,
                (client, options) => client.RemoveBackendAsync(new RemoveBackendRequest { Id = backendId }, options),
                (writer, reply) => MutationFormatter.WriteTable(writer, $"removed backend {backendId}", reply.Result),
                (json, reply) =>
                {
                    json.WriteString("id", backendId);
                    json.WriteNull("backend");
                    MutationFormatter.WriteJson(json, reply.Result);
                },
                cancellationToken);
        });
        return command;
    }

    private static Command SetWeight(CommandRunner runner)
    {
        var id = CommandOptions.Id();
        var weight = CommandOptions.Weight(required: true);
        var command = new Command("set-weight", "Change a backend's weight.") { id, weight };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var backendId = parseResult.GetRequiredValue(id);
            var request = new UpdateWeightRequest { Id = backendId, Weight = parseResult.GetValue(weight) };
            return runner.CallAsync(
                parseResult,
                "backends set-weight",
                idempotent: false,
                (client, options) => client.UpdateWeightAsync(request, options),
                (writer, reply) => MutationFormatter.WriteTable(
                    writer,
                    reply.Backend is null ? $"set weight of {backendId}" : "set weight of " + BackendFormatter.Describe(reply.Backend),
                    reply.Result),
                (json, reply) => WriteBackendMutation(json, backendId, reply.Backend, reply.Result),
                cancellationToken);
        });
        return command;
    }

    private static Command Drain(CommandRunner runner)
    {
        var id = CommandOptions.Id();
        var command = new Command("drain", "Stop sending new requests to a backend; in-flight requests finish.") { id };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var backendId = parseResult.GetRequiredValue(id);
            return runner.CallAsync(
                parseResult,
                "backends drain",
                idempotent: false,
                (client, options) => client.DrainBackendAsync(new DrainBackendRequest { Id = backendId }, options),
                (writer, reply) => MutationFormatter.WriteTable(writer, $"draining backend {backendId}", reply.Result),
                (json, reply) => WriteBackendMutation(json, backendId, reply.Backend, reply.Result),
                cancellationToken);
        });
        return command;
    }

    private static Command Undrain(CommandRunner runner)
    {
        var id = CommandOptions.Id();
        var command = new Command("undrain", "Let a drained backend take new requests again.") { id };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var backendId = parseResult.GetRequiredValue(id);
            return runner.CallAsync(
                parseResult,
                "backends undrain",
                idempotent: false,
                (client, options) => client.UndrainBackendAsync(new UndrainBackendRequest { Id = backendId }, options),
                (writer, reply) => MutationFormatter.WriteTable(writer, $"undrained backend {backendId}", reply.Result),
                (json, reply) => WriteBackendMutation(json, backendId, reply.Backend, reply.Result),
                cancellationToken);
        });
        return command;
    }

    private static void WriteBackendMutation(System.Text.Json.Utf8JsonWriter json, string id, BackendConfig? backend, WriteResult? result)
    {
        json.WriteString("id", id);
        BackendFormatter.WriteConfig(json, "backend", backend);
        MutationFormatter.WriteJson(json, result);
    }

    private static BackendConfig Echo(AddBackendRequest request) => new() { Id = request.Id, Url = request.Url, Weight = request.Weight };
}
