namespace RaftBalancer.Node.Tests.Views;

/// <summary>All backends down: 503 with Retry-After, unless panic routing is configured (<c>Node:PanicRouting</c>; docs/ARCHITECTURE.md, "How a view is built").</summary>
[Trait("Category", "Integration")]
public sealed class PanicRoutingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EveryBackendFailsItsHealthCheck_PanicRouting_RoutesToThemAnyway_UntilOneRecovers()
    {
        await using var a = await DemoBackendHost.StartAsync("a");
        await using var b = await DemoBackendHost.StartAsync("b");
        var config = NodeHost.Config("round-robin", ("a", a.Url, 1), ("b", b.Url, 1));
        config["Node"]!["PanicRouting"] = true;
        await using var node = await NodeHost.StartAsync(config);
        await node.WaitRoutableAsync(Deadline, "a", "b");

        // Both readiness paths fail while traffic would still succeed: the health checks are wrong together.
        await a.ControlAsync("mode=fail&probeOnly=true");
        await b.ControlAsync("mode=fail&probeOnly=true");
        await Poll.UntilAsync(
            async () => (await node.StatusAsync()).Backends.All(s => s.Reason == ViewBuilder.PanicReason && s.Routable),
            Deadline,
            "a and b routed by panic routing");
        var served = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 6; i++)
        {
            var (status, backend) = await node.GetAsync();
            Assert.Equal(200, status);
            served.Add(backend!);
        }

        Assert.Equal(["a", "b"], served.Order(StringComparer.Ordinal));

        // One healthy backend ends the panic: only it is routed, the unhealthy one is out again.
        await a.ControlAsync("mode=ok");
        await node.WaitRoutableAsync(Deadline, "a");
        var status2 = await node.StatusAsync();
        Assert.Equal("UnhealthyMajority", status2.Backends.Single(s => s.Id == "b").Reason);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal((200, "a"), await node.GetAsync());
        }
    }

    [Fact]
    public async Task EveryBackendFailsItsHealthCheck_NoPanicRouting_503()
    {
        await using var a = await DemoBackendHost.StartAsync("a");
        var node = await NodeHost.StartAsync(NodeHost.Config("round-robin", ("a", a.Url, 1)));
        await using (node)
        {
            await node.WaitRoutableAsync(Deadline, "a");
            await a.ControlAsync("mode=fail&probeOnly=true");
            await node.WaitRoutableAsync(Deadline);
            Assert.Equal("UnhealthyMajority", (await node.StatusAsync()).Backends.Single().Reason);
            Assert.Equal(503, (await node.GetAsync()).Status);
        }
    }
}
