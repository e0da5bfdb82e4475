namespace RaftBalancer.Node.Tests.Logging;

/// <summary>The EventIds the README documents for operators are the ones the node logs, with the documented meaning.</summary>
[Trait("Category", "Integration")]
public sealed class NodeLogEventTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Two backends that refuse connections: a GET is retried (3101), then not retried again (3102); the breakers open (3103); then nothing is left to try (3100, with the 503).</summary>
    [Fact]
    public async Task Get_EveryBackendRefuses_Logs3101Retried_3102NotRetried_3103BreakerOpened_3100With503()
    {
        var config = ProxyRetryTests.DeadBackendsConfig();
        config["CircuitBreaker"]!["MinRequestsToTrip"] = 3;
        config["CircuitBreaker"]!["OpenTimeout"] = "00:01:00";
        await using var node = await StartCapturingAsync(config);
        var log = node.Log;
        await node.Host.WaitRoutableAsync(NodeHost.Startup, "dead-1", "dead-2");

        Assert.Equal(502, (await node.Host.GetAsync("/first")).Status);
        var retried = Assert.Single(log.With(3101));
        Assert.Equal(LogLevel.Information, retried.Level);
        Assert.Matches("^Retrying GET /first on another backend after Request from dead-[12]$", retried.Message);
        var notRetried = Assert.Single(log.With(3102));
        Assert.Equal(LogLevel.Warning, notRetried.Level);
        Assert.Matches(@"^Forwarding GET /first to dead-[12] failed with Request; not retried \(already retried once\)$", notRetried.Message);
        Assert.NotEqual(retried.Message[^6..], notRetried.Message.Split(' ')[4]);
        Assert.Empty(log.With(3100));

        // Each GET fails twice (once per backend): both breakers trip, and the node has nothing left to try.
        await Poll.UntilAsync(async () => (await node.Host.GetAsync("/later")).Status == 503, TimeSpan.FromSeconds(10), "a 503 once both breakers are open");
        await Poll.UntilAsync(() => log.With(3103).Count >= 2, TimeSpan.FromSeconds(10), "3103 for both breakers");
        Assert.All(log.With(3103), e => Assert.Matches("^Circuit breaker for dead-[12] went from Closed to Open$", e.Message));
        var noBackend = log.With(3100);
        Assert.NotEmpty(noBackend);
        Assert.All(noBackend, e => Assert.Equal(LogLevel.Warning, e.Level));
        Assert.Contains(noBackend, e => e.Message == "No routable backend for GET /later: answered 503");
        Print(log);
    }

    /// <summary>A backend that stops: this node's probes find it unhealthy (3200), and a request with nothing routable is answered 503 (3100).</summary>
    [Fact]
    public async Task Get_OnlyBackendStopped_Logs3200Unhealthy_Then3100With503()
    {
        await using var a = await DemoBackendHost.StartAsync("a");
        await using var node = await StartCapturingAsync(NodeHost.Config("round-robin", ("a", a.Url, 1)));
        var log = node.Log;
        await node.Host.WaitRoutableAsync(NodeHost.Startup, "a");
        Assert.Equal(200, (await node.Host.GetAsync("/up")).Status);

        await a.StopAsync();
        await node.Host.WaitRoutableAsync(TimeSpan.FromSeconds(10));
        await Poll.UntilAsync(() => log.With(3200).Any(e => e.Message.StartsWith("Backend a is Unhealthy by this node's probes", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "3200 a Unhealthy");
        Assert.Empty(log.With(3100));

        Assert.Equal(503, (await node.Host.GetAsync("/down")).Status);
        var noBackend = Assert.Single(log.With(3100));
        Assert.Equal(LogLevel.Warning, noBackend.Level);
        Assert.Equal("No routable backend for GET /down: answered 503", noBackend.Message);
        Assert.Empty(log.With(3101));
        Print(log);
    }

    private static async Task<CapturingNode> StartCapturingAsync(JsonObject config)
    {
        // The proxy, probe and view events are Information or Warning; everything else stays at Warning.
        config["Logging"]!["LogLevel"]!["RaftBalancer.Node"] = "Information";
        var host = await NodeHost.StartAsync(config);
        var log = new CapturingLoggerProvider();
        host.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        return new CapturingNode(host, log);
    }

    private void Print(CapturingLoggerProvider log)
    {
        foreach (var e in log.Entries.Where(e => e.EventId is >= 3100 and < 3300))
        {
            output.WriteLine($"{e.EventId} {e.Level} {e.Message}");
        }
    }

    private sealed record CapturingNode(NodeHost Host, CapturingLoggerProvider Log) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }
}
