namespace RaftBalancer.Node.Tests.DemoBackend;

[Trait("Category", "Integration")]
public sealed class DemoBackendTests
{
    [Fact]
    public async Task AnyPath_Default_AnswersJsonNamingItsIdWithHeader()
    {
        await using var backend = await DemoBackendHost.StartAsync("b1");
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(backend.Url + "/some/path?x=1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"status\":\"success\",\"data\":{\"backend\":\"b1\"}}", await response.Content.ReadAsStringAsync());
        Assert.Equal("b1", response.Headers.GetValues("X-Backend-Id").Single());
        using var ready = await client.GetAsync(new Uri(backend.Url + "/-/ready"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Control_FailThen429ThenOk_ChangesAnswersAtRunTime()
    {
        await using var backend = await DemoBackendHost.StartAsync("b2");
        using var client = new HttpClient();
        await backend.ControlAsync("mode=fail");
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync(new Uri(backend.Url + "/"))).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync(new Uri(backend.Url + "/-/ready"))).StatusCode);

        await backend.ControlAsync("mode=429&retryAfter=7");
        using var limited = await client.GetAsync(new Uri(backend.Url + "/"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);

        await backend.ControlAsync("mode=ok");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(backend.Url + "/"))).StatusCode);
    }

    [Fact]
    public async Task StartupFault_ProbeOnlyForOneNode_FailsOnlyThatNodesProbes()
    {
        await using var backend = await DemoBackendHost.StartAsync("b3", "--mode", "fail", "--probeOnly", "true", "--forNode", "node-2");
        using var client = new HttpClient();
        using var node2Probe = new HttpRequestMessage(HttpMethod.Get, new Uri(backend.Url + "/-/ready"));
        node2Probe.Headers.Add("X-RaftBalancer-Node", "node-2");
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.SendAsync(node2Probe)).StatusCode);

        using var node1Probe = new HttpRequestMessage(HttpMethod.Get, new Uri(backend.Url + "/-/ready"));
        node1Probe.Headers.Add("X-RaftBalancer-Node", "node-1");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(node1Probe)).StatusCode);

        using var traffic = new HttpRequestMessage(HttpMethod.Get, new Uri(backend.Url + "/work"));
        traffic.Headers.Add("X-RaftBalancer-Node", "node-2");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(traffic)).StatusCode);
    }

    [Fact]
    public async Task Control_DelayMs_SlowsTrafficNotProbes_UntilSetBackToZero()
    {
        await using var backend = await DemoBackendHost.StartAsync("b6");
        using var client = new HttpClient();
        await backend.ControlAsync("delayMs=400");

        // A lower bound only: a delay can make an answer late, never early, whatever the machine's load (less the
        // timer's granularity: Task.Delay may fire a millisecond or two before the mark).
        var slow = System.Diagnostics.Stopwatch.StartNew();
        using (var response = await client.GetAsync(new Uri(backend.Url + "/work")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(slow.ElapsedMilliseconds >= 380, $"answered after {slow.ElapsedMilliseconds} ms with delayMs=400");

        // Probes are never delayed (a slow backend stays healthy, as a real one under load does), and the delay is a setting.
        using (var ready = await client.GetAsync(new Uri(backend.Url + "/-/ready")))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        using var view = await client.GetAsync(new Uri(backend.Url + "/-/control"));
        Assert.Contains("400", await view.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await backend.ControlAsync("delayMs=0");
        Assert.DoesNotContain("400", await (await client.GetAsync(new Uri(backend.Url + "/-/control"))).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_BadMode_Answers400NamingTheField()
    {
        await using var backend = await DemoBackendHost.StartAsync("b4");
        using var client = new HttpClient();
        using var response = await client.PostAsync(new Uri(backend.Url + "/-/control?mode=explode"), null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("mode", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BadStartupDelay_ThrowsNamingTheField()
    {
        var ex = Assert.Throws<ArgumentException>(() => RaftBalancer.DemoBackend.DemoBackendApp.Build(["--id", "b5", "--delayMs", "-5"]));
        Assert.Contains("delayMs", ex.Message, StringComparison.Ordinal);
    }
}
