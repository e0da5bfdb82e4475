namespace RaftBalancer.Cli.Tests.Commands;

[Trait("Category", "Integration")]
public sealed class RejectionTests
{
    public static TheoryData<StatusCode, string, string[]> Refusals => new()
    {
        { StatusCode.PermissionDenied, "AddBackend", ["backends", "add", "--id", "b1", "--url", "http://10.0.0.5:8080"] },
        { StatusCode.Unauthenticated, "RemoveBackend", ["backends", "remove", "--id", "b1"] },
        { StatusCode.InvalidArgument, "UpdateWeight", ["backends", "set-weight", "--id", "b1", "--weight", "5000"] },
        { StatusCode.NotFound, "DrainBackend", ["backends", "drain", "--id", "nope"] },
        { StatusCode.NotFound, "UndrainBackend", ["backends", "undrain", "--id", "nope"] },
        { StatusCode.AlreadyExists, "AddBackend", ["backends", "add", "--id", "b1", "--url", "http://10.0.0.5:8080"] },
        { StatusCode.PermissionDenied, "SetPolicy", ["policy", "set", "--policy", "round-robin"] },
        { StatusCode.Unauthenticated, "GetClusterStatus", ["status"] },
        { StatusCode.PermissionDenied, "ListBackends", ["backends", "list"] },
        { StatusCode.FailedPrecondition, "GetClusterStatus", ["status", "--consistency", "linearizable"] },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Command_ServerRefuses_ExitsRejectedWithCodeAndMessage(StatusCode code, string method, string[] args)
    {
        await using var server = await TestAdminServer.StartAsync();
        server.Service.Failures[method] = new RpcException(new Status(code, $"refused: {code} by test"));

        var result = await Rbctl.RunAsync([.. args, "--node", server.Address]);

        Assert.True(result.ExitCode == ExitCodes.Rejected, result.ToString());
        Assert.Contains(code.ToString(), result.Error, StringComparison.Ordinal);
        Assert.Contains($"refused: {code} by test", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Command_ServerRefusesWithJsonOutput_PrintsErrorObject()
    {
        await using var server = await TestAdminServer.StartAsync();
        server.Service.Failures["AddBackend"] = new RpcException(new Status(StatusCode.InvalidArgument, "url: must be absolute; weight: must be at most 1000"));

        var result = await Rbctl.RunAsync("backends", "add", "--id", "b1", "--url", "http://x", "--weight", "5000", "-o", "json", "--node", server.Address);

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        var json = result.Json();
        Assert.Equal("backends add", json.GetProperty("command").GetString());
        Assert.Equal(server.Address, json.GetProperty("node").GetString());
        var error = json.GetProperty("error");
        Assert.Equal("rejected", error.GetProperty("kind").GetString());
        Assert.Equal("InvalidArgument", error.GetProperty("code").GetString());
        Assert.Equal(3, error.GetProperty("status").GetInt32());
        Assert.Equal("url: must be absolute; weight: must be at most 1000", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Write_ServerRefuses_DoesNotTryTheNextNode()
    {
        await using var first = await TestAdminServer.StartAsync();
        await using var second = await TestAdminServer.StartAsync();
        first.Service.Failures["AddBackend"] = new RpcException(new Status(StatusCode.AlreadyExists, "backend 'b1' already exists"));

        var result = await Rbctl.RunAsync("backends", "add", "--id", "b1", "--url", "http://10.0.0.5:8080", "--node", $"{first.Address},{second.Address}");

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Empty(second.Service.Calls);
    }
}
