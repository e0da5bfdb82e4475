namespace RaftBalancer.Node.Tests.Proxy;

[Trait("Category", "Integration")]
public sealed class ProxyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Get_ThirtyRequestsThreeHealthyBackends_EachServesTenPlusMinusThree()
    {
        await using var setup = await ThreeBackendsNode.StartAsync("round-robin");
        var node = setup.Node;

        var served = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 30; i++)
        {
            var (status, backend) = await node.GetAsync("/item/" + i);
            Assert.Equal(200, status);
            served[backend!] = served.GetValueOrDefault(backend!) + 1;
        }

        Assert.Equal(3, served.Count);
        Assert.All(served.Values, count => Assert.InRange(count, 7, 13));
    }

    [Fact]
    public async Task Get_WeightedRoundRobin511_SevenSequentialRequestsServedAABACAA()
    {
        await using var setup = await ThreeBackendsNode.StartAsync("weighted-round-robin", weightA: 5);
        var node = setup.Node;

        var order = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            order.Add((await node.GetAsync()).Backend!);
        }

        Assert.Equal(["a", "a", "b", "a", "c", "a", "a"], order);
    }

    [Fact]
    public async Task HealthCheck_BackendStartsFailing_ExcludedByTheHealthCheck_ThenReturns()
    {
        await using var a = await DemoBackendHost.StartAsync("a");
        await using var b = await DemoBackendHost.StartAsync("b");
        await using var node = await NodeHost.StartAsync(NodeHost.Config("round-robin", ("a", a.Url, 1), ("b", b.Url, 1)));
        await node.WaitRoutableAsync(NodeHost.Startup, "a", "b");

        // Fail the probe path only, so exclusion comes from the health check (not the breaker).
        await b.ControlAsync("mode=fail&probeOnly=true");
        var watch = Stopwatch.StartNew();
        await node.WaitRoutableAsync(NodeHost.Startup, "a");

        // The time is a figure (target: threshold 2 x interval 200 ms + 1 s), not an assertion: a loaded box may be
        // slower. The thresholds themselves are checked on a fake clock in Core.Tests (HealthStateMachineTests).
        output.WriteLine($"excluded after {watch.ElapsedMilliseconds} ms (target <= {(2 * 200) + 1000} ms)");
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("a", (await node.GetAsync()).Backend);
        }

        await b.ControlAsync("mode=ok");
        await node.WaitRoutableAsync(NodeHost.Startup, "a", "b");
        var seen = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            seen.Add((await node.GetAsync()).Backend!);
        }

        Assert.Equal(["a", "b"], seen.Order());
    }

    [Fact]
    public async Task Get_AllBackendsDown_503WithJsonBodyAndRetryAfter()
    {
        await using var a = await DemoBackendHost.StartAsync("a");
        await using var node = await NodeHost.StartAsync(NodeHost.Config("round-robin", ("a", a.Url, 1)));
        await node.WaitRoutableAsync(NodeHost.Startup, "a");
        await a.StopAsync();
        await node.WaitRoutableAsync(TimeSpan.FromSeconds(5));

        using var response = await node.Client.GetAsync(new Uri("/anything", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"no healthy backends\"", body, StringComparison.Ordinal);
    }

    /// <summary>
    /// Kill a backend under load: a GET whose attempt on it fails before a response is retried on another backend, so no
    /// client GET fails at any time, before or after the node excludes it. The one failure mode left is the retry
    /// budget running out, which the node counts (<c>RetriesRefused</c>); any failure beyond those fails the test.
    /// </summary>
    [Fact]
    public async Task Get_BackendKilledMidLoad_FailedAttemptsRetried_NoGetFailsBeyondBudgetRefusals()
    {
        await using var setup = await ThreeBackendsNode.StartAsync("round-robin");
        var (b, node) = (setup.B, setup.Node);

        await using var load = GetLoad.Start(Enumerable.Range(0, 8).Select(_ => (node.ProxyUrl, "")));
        TimeSpan killedAt, excludedAt;
        try
        {
            await Poll.UntilAsync(() => load.Total > 200, TimeSpan.FromSeconds(20), "load running");
            killedAt = load.Elapsed;
            await b.StopAsync();
            await node.WaitRoutableAsync(TimeSpan.FromSeconds(30), "a", "c");
            excludedAt = load.Elapsed;

            // Excluded, and for the right reason: this node's probes find it unhealthy (not only an open breaker).
            await Poll.UntilAsync(
                async () => (await node.StatusAsync()).Backends.Single(x => x.Id == "b").LocalHealth == "Unhealthy",
                TimeSpan.FromSeconds(10),
                "b's local health Unhealthy");
            var after = load.Total;
            await Poll.UntilAsync(() => load.Total > after + 600, TimeSpan.FromSeconds(30), "load after the exclusion");
        }
        finally
        {
            await load.StopAsync();
        }

        var total = load.Total;
        var failures = load.Failures;
        var status = await node.StatusAsync();
        var dead = status.Backends.Single(x => x.Id == "b");
        output.WriteLine(
            $"excluded {(excludedAt - killedAt).TotalMilliseconds:0} ms after the kill; {total} GETs, {failures.Count} failed; " +
            $"{status.Retries} retries, {status.RetriesRefused} refused by the budget; b: {dead.Reason}, health {dead.LocalHealth}, breaker {dead.Breaker}");
        foreach (var failure in failures.Take(10))
        {
            output.WriteLine($"  failed at {failure.At.TotalMilliseconds:0} ms: {failure.What}");
        }

        Assert.True(status.Retries > 0, "the requests that met the dead backend were not retried");
        Assert.True(
            failures.Count <= status.RetriesRefused,
            $"{failures.Count} GETs failed but the budget refused only {status.RetriesRefused} retries: " + string.Join("; ", failures.Take(5)));
        Assert.All(failures, f => Assert.Equal("502", f.What));
        Assert.False(dead.Routable);
        Assert.Equal("Unhealthy", dead.LocalHealth);
    }

    [Fact]
    public async Task Post_BackendRefusesConnections_NeverSentSoRetriedOnAnother()
    {
        await using var a = await DemoBackendHost.StartAsync("a");
        var deadUrl = "http://127.0.0.1:" + FreePorts.Next();
        var config = NodeHost.Config("round-robin", ("a", a.Url, 1), ("dead", deadUrl, 1));

        // Slow probes so the dead backend stays in the view while we post.
        config["HealthCheck"]!["Interval"] = "00:00:30";
        config["HealthCheck"]!["Timeout"] = "00:00:01";
        config["HealthCheck"]!["Jitter"] = "00:00:00";
        config["CircuitBreaker"]!["MinRequestsToTrip"] = 100;
        await using var node = await NodeHost.StartAsync(config);

        for (var i = 0; i < 6; i++)
        {
            using var content = new StringContent("{\"n\":" + i + "}", Encoding.UTF8, "application/json");
            using var response = await node.Client.PostAsync(new Uri("/orders", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("a", response.Headers.GetValues(NodeHost.BackendHeader).Single());
        }

        Assert.True((await node.StatusAsync()).Retries >= 1);
    }

    [Fact]
    public async Task Get_UnresolvableBackend_CountsAgainstThatBackendOnly()
    {
        await using var a = await DemoBackendHost.StartAsync("a");
        await using var node = await NodeHost.StartAsync(NodeHost.Config("round-robin", ("a", a.Url, 1), ("ghost", "http://does-not-resolve.invalid:8080", 1)));

        // The first view is built asynchronously after start-up; before it exists the node answers 503.
        await node.WaitRoutableAsync(NodeHost.Startup, "a");
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal((200, "a"), await node.GetAsync());
        }

        await node.WaitRoutableAsync(TimeSpan.FromSeconds(10), "a");
        var status = await node.StatusAsync();
        Assert.Equal("Routable", status.Backends.Single(x => x.Id == "a").Reason);
    }

    [Fact]
    public async Task Get_ForwardedHeaders_BackendSeesXForwardedAndNodeHeaders()
    {
        await using var a = await DemoBackendHost.StartAsync("a");
        await using var node = await NodeHost.StartAsync(NodeHost.Config("round-robin", ("a", a.Url, 1)));
        await node.WaitRoutableAsync(NodeHost.Startup, "a");
        var headers = await node.Client.GetFromJsonAsync<Dictionary<string, string>>(new Uri("/-/headers", UriKind.Relative));
        var ci = new Dictionary<string, string>(headers!, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("127.0.0.1", ci["X-Forwarded-For"]);
        Assert.Equal("http", ci["X-Forwarded-Proto"]);
        Assert.Equal(new Uri(node.ProxyUrl).Authority, ci["X-Forwarded-Host"]);
        Assert.Equal("node-1", ci["X-RaftBalancer-Node"]);
    }

    [Fact]
    public async Task RawRequests_MalformedHostAndOversizeHeaders_Kestrel4xxAndNodeKeepsServing()
    {
        await using var a = await DemoBackendHost.StartAsync("a");
        await using var node = await NodeHost.StartAsync(NodeHost.Config("round-robin", ("a", a.Url, 1)));
        await node.WaitRoutableAsync(NodeHost.Startup, "a");
        var port = new Uri(node.ProxyUrl).Port;

        Assert.StartsWith("HTTP/1.1 400", await RawAsync(port, "GET / HTTP/1.1\r\nHost: bad host name\r\n\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 400", await RawAsync(port, "GET / HTTP/1.1\r\nHost: a\r\nBad Header Line\r\n\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 431", await RawAsync(port, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + new string('x', 40_000) + "\r\n\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 413", await RawAsync(port, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 40000000\r\n\r\n"), StringComparison.Ordinal);

        Assert.Equal((200, "a"), await node.GetAsync());
    }

    private static async Task<string> RawAsync(int port, string request)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[512];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    /// <summary>
    /// Demo backends a, b and c behind one node (weights <c>weightA</c>, 1, 1), started and waited for until all three are
    /// routable; disposing stops the node, then c, b and a.
    /// </summary>
    private sealed class ThreeBackendsNode : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _started = [];

        public DemoBackendHost B { get; private set; } = null!;

        public NodeHost Node { get; private set; } = null!;

        public static async Task<ThreeBackendsNode> StartAsync(string policy, int weightA = 1)
        {
            var setup = new ThreeBackendsNode();
            try
            {
                var a = await setup.AddAsync(DemoBackendHost.StartAsync("a"));
                setup.B = await setup.AddAsync(DemoBackendHost.StartAsync("b"));
                var c = await setup.AddAsync(DemoBackendHost.StartAsync("c"));
                setup.Node = await setup.AddAsync(NodeHost.StartAsync(NodeHost.Config(policy, ("a", a.Url, weightA), ("b", setup.B.Url, 1), ("c", c.Url, 1))));
                await setup.Node.WaitRoutableAsync(NodeHost.Startup, "a", "b", "c");
                return setup;
            }
            catch
            {
                await setup.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            for (var i = _started.Count - 1; i >= 0; i--)
            {
                await _started[i].DisposeAsync();
            }

            _started.Clear();
        }

        private async Task<T> AddAsync<T>(Task<T> starting)
            where T : IAsyncDisposable
        {
            var started = await starting;
            _started.Add(started);
            return started;
        }
    }
}
