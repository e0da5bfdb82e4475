using System.Diagnostics.Metrics;

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
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(200, (await node.GetAsync("/logged/" + i)).Status);
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
                Assert.True(root.TryGetProperty("bytes", out _));
            }
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
