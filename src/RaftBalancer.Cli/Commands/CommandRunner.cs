using System.CommandLine;
using System.Text.Json;
using Grpc.Core;
using RaftBalancer.Cli.Connection;
using RaftBalancer.Cli.Output;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Cli.Commands;

/// <summary>Runs a parsed command against the cluster and turns the outcome into output and an exit code.</summary>
/// <param name="console">Where to write and what environment to read.</param>
/// <param name="globals">The global options.</param>
internal sealed class CommandRunner(CliConsole console, GlobalOptions globals)
{
    private readonly CliConsole _console = console ?? throw new ArgumentNullException(nameof(console));
    private readonly GlobalOptions _globals = globals ?? throw new ArgumentNullException(nameof(globals));

    /// <summary>Makes one unary admin call and prints its reply.</summary>
    /// <typeparam name="TReply">The reply message.</typeparam>
    /// <param name="parseResult">The parsed command line (without errors).</param>
    /// <param name="command">The command's name as typed, e.g. "backends add".</param>
    /// <param name="idempotent">True for reads: safe to retry on another node after a timeout.</param>
    /// <param name="call">Starts the call.</param>
    /// <param name="writeTable">Prints the reply for people.</param>
    /// <param name="writeJson">Writes the reply's JSON properties.</param>
    /// <param name="cancellationToken">Interrupts the call.</param>
    /// <returns>An exit code from <see cref="ExitCodes"/>.</returns>
    public async Task<int> CallAsync<TReply>(
        ParseResult parseResult,
        string command,
        bool idempotent,
        Func<Admin.AdminClient, CallOptions, AsyncUnaryCall<TReply>> call,
        Action<TextWriter, TReply> writeTable,
        Action<Utf8JsonWriter, TReply> writeJson,
        CancellationToken cancellationToken)
    {
        var output = new CommandOutput(_console, _globals.GetFormat(parseResult), command);
        if (!_globals.TryResolve(parseResult, _console, out var settings, out var error))
        {
            return output.WriteUsage(error);
        }

        try
        {
            var reply = await new AdminConnector(settings, _console.TimeProvider).CallAsync(call, idempotent, cancellationToken);
            output.WriteResult(reply, writeTable, writeJson);
            return ExitCodes.Ok;
        }
        catch (NodeRejectedException ex)
        {
            return output.WriteRejected(ex);
        }
        catch (NodesUnreachableException ex)
        {
            return output.WriteUnreachable(ex);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return output.WriteInterrupted();
        }
    }

    /// <summary>Prints view updates until the stream ends or the token is cancelled.</summary>
    /// <param name="parseResult">The parsed command line (without errors).</param>
    /// <param name="cancellationToken">Stops watching (exit code 0).</param>
    /// <returns>An exit code from <see cref="ExitCodes"/>.</returns>
    public async Task<int> WatchAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = new CommandOutput(_console, _globals.GetFormat(parseResult), "watch");
        if (!_globals.TryResolve(parseResult, _console, out var settings, out var error))
        {
            return output.WriteUsage(error);
        }

        try
        {
            await new AdminConnector(settings, _console.TimeProvider).WatchAsync(
                (node, update) => output.WriteResult(new AdminReply<ViewUpdate>(node, update), ViewUpdateFormatter.WriteTable, ViewUpdateFormatter.WriteJson),
                cancellationToken);
            return ExitCodes.Ok;
        }
        catch (NodeRejectedException ex)
        {
            return output.WriteRejected(ex);
        }
        catch (NodesUnreachableException ex)
        {
            return output.WriteUnreachable(ex);
        }
    }
}
