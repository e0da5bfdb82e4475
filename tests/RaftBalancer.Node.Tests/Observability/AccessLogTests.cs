using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Hosting;

namespace RaftBalancer.Node.Tests.Observability;

public sealed class AccessLogTests
{
    [Fact]
    [Trait("Category", "Integration")]
    public async Task AccessLog_RequestsProxied_OneJsonLinePerRequest()
    {
        await using var a = await DemoBackendHost.StartAsync("a");
        var config = NodeHost.Config("round-robin", ("a", a.Url, 1));
        var file = Path.Combine(Directory.CreateTempSubdirectory("rb-access-").FullName, "access.log");
        config["Observability"] = new JsonObject { ["AccessLog"] = new JsonObject { ["Enabled"] = true, ["Path"] = file } };
        try
        {
            await using var node = await NodeHost.StartAsync(config);
            await node.WaitRoutableAsync(TimeSpan.FromSeconds(15), "a");
            long okBodyLength = 0;
            for (var i = 0; i < 3; i++)
            {
                using var ok = await node.Client.GetAsync(new Uri("/logged/" + i, UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
                okBodyLength = (await ok.Content.ReadAsByteArrayAsync()).Length;
            }

            string[] lines = [];
            await Poll.UntilAsync(
                () =>
                {
                    lines = ReadLines(file).Where(l => l.Contains("/logged/", StringComparison.Ordinal)).ToArray();
                    return lines.Length == 3;
                },
                TimeSpan.FromSeconds(10),
                "three access log lines for /logged/*");

            for (var i = 0; i < 3; i++)
            {
                using var line = JsonDocument.Parse(lines[i]);
                var root = line.RootElement;
                Assert.Equal("GET", root.GetProperty("method").GetString());
                Assert.Equal("/logged/" + i, root.GetProperty("path").GetString());
                Assert.Equal(200, root.GetProperty("status").GetInt32());
                Assert.Equal("a", root.GetProperty("backend").GetString());
                Assert.Equal(1, root.GetProperty("attempts").GetInt32());
                Assert.True(root.GetProperty("durationMs").GetDouble() > 0);
                Assert.True(IPAddress.IsLoopback(IPAddress.Parse(root.GetProperty("client").GetString()!)));
                Assert.True(DateTimeOffset.TryParse(root.GetProperty("time").GetString(), out _));
                Assert.Equal(okBodyLength, root.GetProperty("bytes").GetInt64());
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task AccessLog_ChunkedResponse_BytesAreTheBodyTheClientReceived()
    {
        // A backend that flushes between two writes: the response is chunked, with no Content-Length to go by.
        var url = "http://127.0.0.1:" + FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        await using var backend = builder.Build();
        backend.Run(async context =>
        {
            await context.Response.WriteAsync("first part of the body;");
            await context.Response.Body.FlushAsync();
            await context.Response.WriteAsync("second part, after a flush");
        });
        await backend.StartAsync();
        var config = NodeHost.Config("round-robin", ("chunked", url, 1));
        var file = Path.Combine(Directory.CreateTempSubdirectory("rb-access-").FullName, "access.log");
        config["Observability"] = new JsonObject { ["AccessLog"] = new JsonObject { ["Enabled"] = true, ["Path"] = file } };
        try
        {
            await using var node = await NodeHost.StartAsync(config);
            await node.WaitRoutableAsync(TimeSpan.FromSeconds(15), "chunked");
            using var response = await node.Client.GetAsync(new Uri("/chunked", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.TransferEncodingChunked);
            var received = (await response.Content.ReadAsByteArrayAsync()).Length;

            string? line = null;
            await Poll.UntilAsync(
                () => (line = ReadLines(file).FirstOrDefault(l => l.Contains("\"/chunked\"", StringComparison.Ordinal))) is not null,
                TimeSpan.FromSeconds(10),
                "an access log line for /chunked");
            using var document = JsonDocument.Parse(line!);
            Assert.Equal("first part of the body;second part, after a flush".Length, received);
            Assert.Equal(received, document.RootElement.GetProperty("bytes").GetInt64());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void TryEnqueue_QueueFull_DropsAndCountsWithoutWaiting()
    {
        using var telemetry = new NodeTelemetry();
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument, telemetry.AccessLogDropped))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        listener.Start();
        var queue = new AccessLogQueue(2, telemetry);
        var entry = new AccessLogEntry(DateTimeOffset.UnixEpoch, IPAddress.Loopback, "GET", "/", 200, "a", 1, TimeSpan.FromMilliseconds(1), 2);

        // Nobody reads: the first two wait for the writer, the rest are dropped at once (a blocking write would hang here).
        var accepted = Enumerable.Range(0, 5).Select(_ => queue.TryEnqueue(entry)).ToList();

        Assert.Equal([true, true, false, false, false], accepted);
        Assert.Equal(3, queue.Dropped);
        Assert.Equal(3, Interlocked.Read(ref counted));
        Assert.True(queue.Reader.TryRead(out var first));
        Assert.Equal(entry, first);
        Assert.True(queue.TryEnqueue(entry)); // room again once the writer caught up
    }

    private static string[] ReadLines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
