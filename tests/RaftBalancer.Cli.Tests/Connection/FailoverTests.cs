namespace RaftBalancer.Cli.Tests.Connection;

[Trait("Category", "Integration")]
public sealed class FailoverTests
{
    [Fact]
    public async Task Read_FirstNodeDead_SecondAnswers()
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("status", "-o", "json", "--node", $"{DeadAddress.Create()},{server.Address}");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal(server.Address, result.Json().GetProperty("node").GetString());
        Assert.Single(server.Service.Calls);
    }

    [Fact]
    public async Task Write_FirstNodeDead_SecondAnswers()
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("backends", "drain", "--id", "b1", "--node", $"{DeadAddress.Create()},{server.Address}");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("b1", server.Service.Single<Contracts.V1.DrainBackendRequest>("DrainBackend").Id);
    }

    [Fact]
    public async Task Write_FirstNodeUnavailable_SecondAnswers()
    {
        await using var first = await TestAdminServer.StartAsync();
        await using var second = await TestAdminServer.StartAsync();
        first.Service.Failures["SetPolicy"] = new RpcException(new Status(StatusCode.Unavailable, "no leader: quorum lost"));

        var result = await Rbctl.RunAsync("policy", "set", "--policy", "least-connections", "--node", $"{first.Address},{second.Address}");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Single(first.Service.Calls);
        Assert.Single(second.Service.Calls);
    }

    [Fact]
    public async Task AllNodesDead_ExitsUnreachableNamingEachNode()
    {
        var first = DeadAddress.Create();
        var second = DeadAddress.Create();

        var result = await Rbctl.RunAsync("backends", "list", "--node", $"{first},{second}");

        Assert.True(result.ExitCode == ExitCodes.Unreachable, result.ToString());
        Assert.Contains(first, result.Error, StringComparison.Ordinal);
        Assert.Contains(second, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllNodesDead_JsonOutput_PrintsUnreachableErrorObject()
    {
        var dead = DeadAddress.Create();

        var result = await Rbctl.RunAsync("backends", "remove", "--id", "b1", "-o", "json", "--node", dead);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        var error = result.Json().GetProperty("error");
        Assert.Equal("unreachable", error.GetProperty("kind").GetString());
        var attempt = Assert.Single(error.GetProperty("attempts").EnumerateArray());
        Assert.Equal(dead, attempt.GetProperty("node").GetString());
        Assert.Equal("Unavailable", attempt.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AllNodesUnavailable_ExitsUnreachable()
    {
        await using var server = await TestAdminServer.StartAsync();
        server.Service.Failures["GetClusterStatus"] = new RpcException(new Status(StatusCode.Unavailable, "shutting down"));

        var result = await Rbctl.RunAsync("status", "--node", server.Address);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.Contains("shutting down", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_FirstNodeTooSlow_SecondAnswers()
    {
        await using var slow = await TestAdminServer.StartAsync();
        await using var fast = await TestAdminServer.StartAsync();
        slow.Service.Delay = TimeSpan.FromSeconds(30);

        var result = await Rbctl.RunAsync("backends", "list", "--timeout", "2s", "--node", $"{slow.Address},{fast.Address}");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Single(fast.Service.Calls);
    }

    [Fact]
    public async Task Write_FirstNodeTooSlow_IsNotRetriedElsewhere()
    {
        await using var slow = await TestAdminServer.StartAsync();
        await using var fast = await TestAdminServer.StartAsync();
        slow.Service.Delay = TimeSpan.FromSeconds(30);

        var result = await Rbctl.RunAsync("backends", "add", "--id", "b1", "--url", "http://10.0.0.5:8080", "--timeout", "1s", "--node", $"{slow.Address},{fast.Address}");

        Assert.True(result.ExitCode == ExitCodes.Rejected, result.ToString());
        Assert.Contains("DeadlineExceeded", result.Error, StringComparison.Ordinal);
        Assert.Empty(fast.Service.Calls);
    }
}
