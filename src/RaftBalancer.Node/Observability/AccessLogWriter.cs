using System.Buffers;
using System.Globalization;
using System.Text.Json;
using RaftBalancer.Node.Diagnostics;

namespace RaftBalancer.Node.Observability;

/// <summary>Drains the access log queue and writes one JSON line per request to stdout or a file, off the request path.</summary>
/// <remarks>
/// Fields: <c>time</c> (ISO 8601 UTC), <c>client</c>, <c>method</c>, <c>path</c>, <c>status</c>, <c>backend</c>
/// (null when none was picked), <c>attempts</c>, <c>durationMs</c>, <c>bytes</c> (response body bytes sent, chunked
/// responses included). Lines that did not fit the queue are counted in <c>raftbalancer_access_log_dropped_total</c>.
/// </remarks>
internal sealed class AccessLogWriter : BackgroundService
{
    private readonly AccessLogQueue _queue;
    private readonly string _path;

    public AccessLogWriter(AccessLogQueue queue, string path)
    {
        _queue = queue;
        _path = path;
    }

    /// <summary>Formats one line (without the newline).</summary>
    public static void Format(in AccessLogEntry entry, Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("time", entry.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        json.WriteString("client", entry.Client?.ToString());
        json.WriteString("method", entry.Method);
        json.WriteString("path", entry.Path);
        json.WriteNumber("status", entry.Status);
        json.WriteString("backend", entry.Backend);
        json.WriteNumber("attempts", entry.Attempts);
        json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 3));
        json.WriteNumber("bytes", entry.Bytes);

        json.WriteEndObject();
        json.Flush();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var toStdout = string.IsNullOrEmpty(_path) || _path == "-";
        await using var output = toStdout
            ? Console.OpenStandardOutput()
            : new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 64 * 1024, FileOptions.Asynchronous);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var json = new Utf8JsonWriter(buffer);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (reader.TryRead(out var entry))
                {
                    json.Reset(buffer);
                    Format(entry, json);
                    buffer.Write("\n"u8);
                    if (buffer.WrittenCount > 48 * 1024)
                    {
                        await output.WriteAsync(buffer.WrittenMemory, stoppingToken);
                        buffer.ResetWrittenCount();
                    }
                }

                await output.WriteAsync(buffer.WrittenMemory, stoppingToken);
                buffer.ResetWrittenCount();
                await output.FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
