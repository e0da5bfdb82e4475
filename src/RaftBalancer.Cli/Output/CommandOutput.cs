using System.Text;
using System.Text.Json;
using RaftBalancer.Cli.Commands;
using RaftBalancer.Cli.Connection;

namespace RaftBalancer.Cli.Output;

/// <summary>Writes one command's result or failure in the chosen format.</summary>
/// <remarks>
/// JSON mode writes exactly one compact JSON object per line to standard output (one per update for
/// <c>watch</c>), also for failures, so scripts can always parse standard output; the human-readable
/// error goes to standard error in both modes. Usage errors (exit 2) are written by the parser to standard
/// error only.
/// </remarks>
internal sealed class CommandOutput
{
    private readonly CliConsole _console;

    /// <summary>Creates the output for one command.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="format">Table or JSON.</param>
    /// <param name="command">The command's name as typed, e.g. "backends add"; JSON objects carry it.</param>
    public CommandOutput(CliConsole console, OutputFormat format, string command)
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
        Format = format;
        Command = command;
    }

    /// <summary>The chosen format.</summary>
    public OutputFormat Format { get; }

    /// <summary>The command's name as typed.</summary>
    public string Command { get; }

    /// <summary>Writes a successful result.</summary>
    /// <typeparam name="T">The reply message.</typeparam>
    /// <param name="reply">The reply and the node that gave it.</param>
    /// <param name="writeTable">Writes the table form.</param>
    /// <param name="writeJson">Writes the reply's JSON properties inside the envelope.</param>
    public void WriteResult<T>(AdminReply<T> reply, Action<TextWriter, T> writeTable, Action<Utf8JsonWriter, T> writeJson)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(writeTable);
        ArgumentNullException.ThrowIfNull(writeJson);
        if (Format == OutputFormat.Json)
        {
            WriteJsonLine(json =>
            {
                json.WriteString("command", Command);
                json.WriteString("node", reply.Node.OriginalString);
                writeJson(json, reply.Message);
            });
        }
        else
        {
            writeTable(_console.Out, reply.Message);
        }

        _console.Out.Flush();
    }

    /// <summary>Reports a refusal by the cluster (exit code 1).</summary>
    /// <param name="rejection">The refusal.</param>
    /// <returns><see cref="ExitCodes.Rejected"/>.</returns>
    public int WriteRejected(NodeRejectedException rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        var status = rejection.Status;
        _console.Error.WriteLine($"error: {status.StatusCode} ({(int)status.StatusCode}): {status.Detail} [node {rejection.Node.OriginalString}]");
        if (Format == OutputFormat.Json)
        {
            WriteJsonLine(json =>
            {
                json.WriteString("command", Command);
                json.WriteString("node", rejection.Node.OriginalString);
                json.WriteStartObject("error");
                json.WriteString("kind", "rejected");
                json.WriteString("code", status.StatusCode.ToString());
                json.WriteNumber("status", (int)status.StatusCode);
                json.WriteString("message", status.Detail);
                json.WriteEndObject();
            });
        }

        return ExitCodes.Rejected;
    }

    /// <summary>Reports that no node answered (exit code 3).</summary>
    /// <param name="unreachable">Each node's failure.</param>
    /// <returns><see cref="ExitCodes.Unreachable"/>.</returns>
    public int WriteUnreachable(NodesUnreachableException unreachable)
    {
        ArgumentNullException.ThrowIfNull(unreachable);
        _console.Error.WriteLine($"error: no node answered ({unreachable.Failures.Count} tried):");
        foreach (var failure in unreachable.Failures)
        {
            _console.Error.WriteLine($"  {failure.Node.OriginalString}: {failure.Code}: {failure.Detail}");
        }

        if (Format == OutputFormat.Json)
        {
            WriteJsonLine(json =>
            {
                json.WriteString("command", Command);
                json.WriteNull("node");
                json.WriteStartObject("error");
                json.WriteString("kind", "unreachable");
                json.WriteString("code", "Unavailable");
                json.WriteNumber("status", (int)Grpc.Core.StatusCode.Unavailable);
                json.WriteString("message", unreachable.Message);
                json.WriteStartArray("attempts");
                foreach (var failure in unreachable.Failures)
                {
                    json.WriteStartObject();
                    json.WriteString("node", failure.Node.OriginalString);
                    json.WriteString("code", failure.Code.ToString());
                    json.WriteString("message", failure.Detail);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        }

        return ExitCodes.Unreachable;
    }

    /// <summary>Reports a usage error found after parsing (exit code 2).</summary>
    /// <param name="message">What is wrong.</param>
    /// <returns><see cref="ExitCodes.Usage"/>.</returns>
    public int WriteUsage(string message)
    {
        _console.Error.WriteLine($"error: {message}");
        return ExitCodes.Usage;
    }

    /// <summary>Reports an interrupted unary call.</summary>
    /// <returns><see cref="ExitCodes.Interrupted"/>.</returns>
    public int WriteInterrupted()
    {
        _console.Error.WriteLine("error: interrupted; a write may still have been committed.");
        return ExitCodes.Interrupted;
    }

    private void WriteJsonLine(Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            writeProperties(json);
            json.WriteEndObject();
        }

        _console.Out.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        _console.Out.Flush();
    }
}
