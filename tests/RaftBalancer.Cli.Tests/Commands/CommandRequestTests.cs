namespace RaftBalancer.Cli.Tests.Commands;

[Trait("Category", "Integration")]
public sealed class CommandRequestTests
{
    [Fact]
    public async Task Status_Default_SendsLocalConsistency()
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("status", "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal(Consistency.Local, server.Service.Single<GetClusterStatusRequest>("GetClusterStatus").Consistency);
    }

    [Fact]
    public async Task Status_Linearizable_SendsLinearizableConsistency()
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("status", "--consistency", "linearizable", "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal(Consistency.Linearizable, server.Service.Single<GetClusterStatusRequest>("GetClusterStatus").Consistency);
    }

    [Theory]
    [InlineData("local", Consistency.Local)]
    [InlineData("linearizable", Consistency.Linearizable)]
    public async Task BackendsList_Consistency_IsSent(string option, Consistency expected)
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("backends", "list", "--consistency", option, "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal(expected, server.Service.Single<ListBackendsRequest>("ListBackends").Consistency);
    }

    [Fact]
    public async Task BackendsAdd_AllOptions_SendsEveryField()
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync(
            "backends", "add", "--id", "b1", "--url", "http://10.0.0.5:8080", "--weight", "3",
            "--metadata", "zone=a", "-m", "rack=r7=x", "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var request = server.Service.Single<AddBackendRequest>("AddBackend");
        Assert.Equal("b1", request.Id);
        Assert.Equal("http://10.0.0.5:8080", request.Url);
        Assert.Equal(3, request.Weight);
        Assert.Equal("a", request.Metadata["zone"]);
        Assert.Equal("r7=x", request.Metadata["rack"]);
        Assert.Contains("added backend b1 http://10.0.0.5:8080 weight 3", result.Out, StringComparison.Ordinal);
        Assert.Contains("view 18", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackendsAdd_NoWeight_SendsWeightOne()
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("backends", "add", "--id", "b1", "--url", "http://10.0.0.5:8080", "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal(1, server.Service.Single<AddBackendRequest>("AddBackend").Weight);
    }

    [Fact]
    public async Task BackendsRemove_SendsId()
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("backends", "remove", "--id", "b1", "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("b1", server.Service.Single<RemoveBackendRequest>("RemoveBackend").Id);
        Assert.Contains("removed backend b1", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackendsSetWeight_ZeroWeight_IsSent()
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("backends", "set-weight", "--id", "b1", "--weight", "0", "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var request = server.Service.Single<UpdateWeightRequest>("UpdateWeight");
        Assert.Equal("b1", request.Id);
        Assert.Equal(0, request.Weight);
    }

    [Fact]
    public async Task BackendsDrain_SendsId()
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("backends", "drain", "--id", "b1", "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("b1", server.Service.Single<DrainBackendRequest>("DrainBackend").Id);
        Assert.Contains("draining backend b1", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackendsUndrain_SendsId()
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("backends", "undrain", "--id", "b1", "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("b1", server.Service.Single<UndrainBackendRequest>("UndrainBackend").Id);
    }

    [Theory]
    [InlineData("round-robin")]
    [InlineData("weighted-round-robin")]
    [InlineData("least-connections")]
    public async Task PolicySet_KnownPolicy_IsSent(string policy)
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("policy", "set", "--policy", policy, "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal(policy, server.Service.Single<SetPolicyRequest>("SetPolicy").Policy);
        Assert.Contains($"policy set to {policy}", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_Option_IsSentAsBearerAuthorization()
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("backends", "drain", "--id", "b1", "--token", "s3cret", "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("Bearer s3cret", Assert.Single(server.Service.Calls).Authorization);
    }

    [Fact]
    public async Task Token_FromEnvironment_IsSent()
    {
        await using var server = await TestAdminServer.StartAsync();
        var environment = new Dictionary<string, string> { ["RAFTBALANCER_ADMIN_TOKEN"] = "from-env" };

        var result = await Rbctl.RunAsync(["status", "--node", server.Address], environment, CancellationToken.None);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("Bearer from-env", Assert.Single(server.Service.Calls).Authorization);
    }

    [Fact]
    public async Task Token_OptionAndEnvironment_OptionWins()
    {
        await using var server = await TestAdminServer.StartAsync();
        var environment = new Dictionary<string, string> { ["RAFTBALANCER_ADMIN_TOKEN"] = "from-env" };

        var result = await Rbctl.RunAsync(["status", "--token", "from-option", "--node", server.Address], environment, CancellationToken.None);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("Bearer from-option", Assert.Single(server.Service.Calls).Authorization);
    }

    [Fact]
    public async Task Token_None_SendsNoAuthorization()
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("status", "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Null(Assert.Single(server.Service.Calls).Authorization);
    }

    [Fact]
    public async Task Nodes_FromEnvironment_AreUsedWithoutNodeOption()
    {
        await using var server = await TestAdminServer.StartAsync();
        var environment = new Dictionary<string, string> { ["RAFTBALANCER_NODES"] = server.Address };

        var result = await Rbctl.RunAsync(["status"], environment, CancellationToken.None);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Single(server.Service.Calls);
    }

    [Fact]
    public async Task GlobalOptions_BeforeTheCommand_AreAccepted()
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("--node", server.Address, "--token", "t", "-o", "json", "backends", "list");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("backends list", result.Json().GetProperty("command").GetString());
        Assert.Equal("Bearer t", Assert.Single(server.Service.Calls).Authorization);
    }
}
