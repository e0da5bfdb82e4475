namespace RaftBalancer.Node.Tests.Proxy;

/// <summary>When the node resends a request on another backend, and when it must not.</summary>
[Trait("Category", "Integration")]
public sealed class ProxyRetryTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>
    /// A POST that reached a backend (it read the whole body) and then failed must not be resent: the client gets the
    /// failure, the faulty backend saw it exactly once, the other backend never, and the node counts no retry.
    /// </summary>
    /// <param name="fault">How the faulty backend fails after reading the request.</param>
    /// <param name="expected">What the client gets: 502 (reset before the response), 504 (no answer within the activity
    /// timeout), or a 200 whose body breaks off (the backend dies mid-response).</param>
    [Theory]
    [InlineData(ScriptedFault.ResetBeforeHeaders, "502")]
    [InlineData(ScriptedFault.Hang, "504")]
    [InlineData(ScriptedFault.ResetMidBody, "200 broken")]
    public async Task Post_BackendFailsAfterReceivingIt_NeverResentElsewhere(ScriptedFault fault, string expected)
    {
        await using var bad = await ScriptedBackend.StartAsync(fault);
        await using var good = await ScriptedBackend.StartAsync(ScriptedFault.None);
        var config = NodeHost.Config("round-robin", ("bad", bad.Url, 1), ("good", good.Url, 1));

        // The faulty backend stays routable throughout: its probes pass and the breaker does not trip.
        config["CircuitBreaker"]!["MinRequestsToTrip"] = 100;
        config["Node"]!["ActivityTimeout"] = "00:00:01";
        await using var node = await NodeHost.StartAsync(config);
        await node.WaitRoutableAsync(NodeHost.Startup, "bad", "good");

        var failed = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var outcome = await PostAsync(node, bad, i);
            output.WriteLine($"POST /orders/{i}: {outcome}");
            if (outcome != "200 good")
            {
                Assert.Equal(expected, outcome);
                failed.Add(i);
            }
        }

        // Round robin over two backends: half the POSTs went to the faulty one.
        Assert.NotEmpty(failed);
        foreach (var i in failed)
        {
            var line = "POST /orders/" + i + " {\"order\":" + i + "}";
            Assert.Equal(1, bad.Seen.Count(s => s == line));
            Assert.DoesNotContain(good.Seen, s => s.StartsWith("POST /orders/" + i + " ", StringComparison.Ordinal));
        }

        Assert.Equal(failed.Count, bad.Seen.Count);
        Assert.Equal(4 - failed.Count, good.Seen.Count);
        var nodeStatus = await node.StatusAsync();
        Assert.Equal(0, nodeStatus.Retries);
        Assert.Equal(0, nodeStatus.RetriesRefused);
    }

    /// <summary>Both backends refuse connections: the request is tried on one, retried once on the other, and then the client gets the 502.</summary>
    [Fact]
    public async Task Get_EveryBackendRefuses_RetriedExactlyOnceThenClientGets502()
    {
        var config = DeadBackendsConfig();
        await using var node = await NodeHost.StartAsync(config);
        await node.WaitRoutableAsync(NodeHost.Startup, "dead-1", "dead-2");

        for (var i = 1; i <= 3; i++)
        {
            var (status, _) = await node.GetAsync("/item/" + i);
            Assert.Equal(502, status);
            var after = await node.StatusAsync();
            Assert.Equal(i, after.Retries);
            Assert.Equal(0, after.RetriesRefused);
        }

        Assert.Equal(0, (await node.StatusAsync()).ActiveRequests);
    }

    /// <summary>A POST whose connection was refused was never sent, so it is retried like a GET (once), body and all.</summary>
    [Fact]
    public async Task Post_EveryBackendRefuses_NeverSentSoRetriedExactlyOnce()
    {
        await using var node = await NodeHost.StartAsync(DeadBackendsConfig());
        await node.WaitRoutableAsync(NodeHost.Startup, "dead-1", "dead-2");

        using var content = new StringContent("{\"n\":1}", Encoding.UTF8, "application/json");
        using var response = await node.Client.PostAsync(new Uri("/orders", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var status = await node.StatusAsync();
        Assert.Equal(1, status.Retries);
        Assert.Equal(0, status.RetriesRefused);
    }

    /// <summary>
    /// With no retry budget at all, a GET whose first attempt was refused is not retried, although a healthy backend is
    /// there to take it: the client gets the 502 and the node counts the refusal.
    /// </summary>
    [Fact]
    public async Task Get_RetryBudgetZero_RefusedAttemptNotRetriedOnTheHealthyBackend_AndTheRefusalCounted()
    {
        await using var a = await DemoBackendHost.StartAsync("a");
        var config = NodeHost.Config("round-robin", ("a", a.Url, 1), ("dead", "http://127.0.0.1:" + FreePorts.Next().ToString(CultureInfo.InvariantCulture), 1));
        config["HealthCheck"]!["Interval"] = "00:00:30";
        config["HealthCheck"]!["Timeout"] = "00:00:01";
        config["HealthCheck"]!["Jitter"] = "00:00:00";
        config["CircuitBreaker"]!["MinRequestsToTrip"] = 100;
        config["Node"]!["RetryBudgetRatio"] = 0;
        config["Node"]!["MinRetryConcurrency"] = 0;
        await using var node = await NodeHost.StartAsync(config);
        await node.WaitRoutableAsync(NodeHost.Startup, "a", "dead");

        var failed = 0;
        for (var i = 0; i < 6; i++)
        {
            var (status, backend) = await node.GetAsync("/item/" + i);
            output.WriteLine($"GET /item/{i}: {status} from {backend ?? "-"}");
            if (status == 200)
            {
                Assert.Equal("a", backend);
            }
            else
            {
                Assert.Equal(502, status);
                failed++;
            }
        }

        // Round robin over two backends: half the GETs met the dead one first.
        Assert.True(failed > 0, "no GET met the dead backend first, or the budget let one through to a");
        var after = await node.StatusAsync();
        Assert.Equal(0, after.Retries);
        Assert.Equal(failed, after.RetriesRefused);
    }

    /// <summary>POSTs <c>/orders/{i}</c>; returns the status and who served it, or "200 broken" for a body that broke off.</summary>
    private static async Task<string> PostAsync(NodeHost node, ScriptedBackend bad, int i)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/orders/" + i, UriKind.Relative))
        {
            Content = new StringContent("{\"order\":" + i + "}", Encoding.UTF8, "application/json"),
        };
        using var response = await node.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var servedBy = response.Headers.TryGetValues(NodeHost.BackendHeader, out var values) ? values.Single() : "-";
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        var body = await response.Content.ReadAsStreamAsync();
        if (status == "200" && servedBy == "bad")
        {
            // The backend sent headers and 10 bytes: take them, then let it die and watch the rest fail.
            await body.ReadExactlyAsync(new byte[10]);
            bad.BreakOff.Release();
            var rest = await Record.ExceptionAsync(() => body.CopyToAsync(Stream.Null));
            return rest is IOException or HttpRequestException ? "200 broken" : "200 bad, then " + (rest?.GetType().Name ?? "complete");
        }

        await body.CopyToAsync(Stream.Null);
        return status == "200" ? status + " " + servedBy : status;
    }

    /// <summary>Two backends on ports nothing listens on; slow probes and a breaker that never trips keep both routable.</summary>
    internal static JsonObject DeadBackendsConfig()
    {
        var config = NodeHost.Config(
            "round-robin",
            ("dead-1", "http://127.0.0.1:" + FreePorts.Next().ToString(CultureInfo.InvariantCulture), 1),
            ("dead-2", "http://127.0.0.1:" + FreePorts.Next().ToString(CultureInfo.InvariantCulture), 1));
        config["HealthCheck"]!["Interval"] = "00:00:30";
        config["HealthCheck"]!["Timeout"] = "00:00:01";
        config["HealthCheck"]!["Jitter"] = "00:00:00";
        config["CircuitBreaker"]!["MinRequestsToTrip"] = 100;
        return config;
    }
}
