namespace RaftBalancer.Cli.Tests.Commands;

[Trait("Category", "Integration")]
public sealed class CommandRequestTests
{
    [Fact]
    public async Task Status_Default_SendsLocalConsistency()
    {
        var (result, service) = await RunOkAsync("status");

        Assert.Equal(Consistency.Local, service.Single<GetClusterStatusRequest>("GetClusterStatus").Consistency);
    }

    [Fact]
    public async Task Status_Linearizable_SendsLinearizableConsistency()
    {
        var (result, service) = await RunOkAsync("status", "--consistency", "linearizable");

        Assert.Equal(Consistency.Linearizable, service.Single<GetClusterStatusRequest>("GetClusterStatus").Consistency);
    }

    [Theory]
    [InlineData("local", Consistency.Local)]
    [InlineData("linearizable", Consistency.Linearizable)]
    public async Task BackendsList_Consistency_IsSent(string option, Consistency expected)
    {
        var (result, service) = await RunOkAsync("backends", "list", "--consistency", option);

        Assert.Equal(expected, service.Single<ListBackendsRequest>("ListBackends").Consistency);
    }

    [Fact]
    public async Task BackendsAdd_AllOptions_SendsEveryField()
    {
        var (result, service) = await RunOkAsync(
            "backends", "add", "--id", "b1", "--url", "http://10.0.0.5:8080", "--weight", "3",
            "--metadata", "zone=a", "-m", "rack=r7=x");

        var request = service.Single<AddBackendRequest>("AddBackend");
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
        var (result, service) = await RunOkAsync("backends", "add", "--id", "b1", "--url", "http://10.0.0.5:8080");

        Assert.Equal(1, service.Single<AddBackendRequest>("AddBackend").Weight);
    }

    [Fact]
    public async Task BackendsRemove_SendsId()
    {
        var (result, service) = await RunOkAsync("backends", "remove", "--id", "b1");

        Assert.Equal("b1", service.Single<RemoveBackendRequest>("RemoveBackend").Id);
        Assert.Contains("removed backend b1", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackendsSetWeight_ZeroWeight_IsSent()
    {
        var (result, service) = await RunOkAsync("backends", "set-weight", "--id", "b1", "--weight", "0");

        var request = service.Single<UpdateWeightRequest>("UpdateWeight");
        Assert.Equal("b1", request.Id);
        Assert.Equal(0, request.Weight);
    }

    [Fact]
    public async Task BackendsDrain_SendsId()
    {
        var (result, service) = await RunOkAsync("backends", "drain", "--id", "b1");

        Assert.Equal("b1", service.Single<DrainBackendRequest>("DrainBackend").Id);
        Assert.Contains("draining backend b1", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackendsUndrain_SendsId()
    {
        var (result, service) = await RunOkAsync("backends", "undrain", "--id", "b1");

        Assert.Equal("b1", service.Single<UndrainBackendRequest>("UndrainBackend").Id);
    }

    [Theory]
    [InlineData("round-robin")]
    [InlineData("weighted-round-robin")]
    [InlineData("least-connections")]
    public async Task PolicySet_KnownPolicy_IsSent(string policy)
    {
        var (result, service) = await RunOkAsync("policy", "set", "--policy", policy);

        Assert.Equal(policy, service.Single<SetPolicyRequest>("SetPolicy").Policy);
        Assert.Contains($"policy set to {policy}", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_Option_IsSentAsBearerAuthorization()
    {
        var (result, service) = await RunOkAsync("backends", "drain", "--id", "b1", "--token", "s3cret");

        Assert.Equal("Bearer s3cret", Assert.Single(service.Calls).Authorization);
    }

    [Fact]
    public async Task Token_FromEnvironment_IsSent()
    {
        var (result, service) = await RunOkAsync(["status"], new Dictionary<string, string> { ["RAFTBALANCER_ADMIN_TOKEN"] = "from-env" });

        Assert.Equal("Bearer from-env", Assert.Single(service.Calls).Authorization);
    }

    [Fact]
    public async Task Token_OptionAndEnvironment_OptionWins()
    {
        var (result, service) = await RunOkAsync(["status", "--token", "from-option"], new Dictionary<string, string> { ["RAFTBALANCER_ADMIN_TOKEN"] = "from-env" });

        Assert.Equal("Bearer from-option", Assert.Single(service.Calls).Authorization);
    }

    [Fact]
    public async Task Token_None_SendsNoAuthorization()
    {
        var (result, service) = await RunOkAsync("status");

        Assert.Null(Assert.Single(service.Calls).Authorization);
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

    /// <summary>Runs rbctl against a fresh fake admin server, asserts it exited 0, and returns its output and what the server received.</summary>
    private static Task<(RbctlResult Result, FakeAdminService Service)> RunOkAsync(params string[] args) => RunOkAsync(args, null);

    private static async Task<(RbctlResult Result, FakeAdminService Service)> RunOkAsync(string[] args, Dictionary<string, string>? environment)
    {
        await using var server = await TestAdminServer.StartAsync();
        var result = environment is null
            ? await Rbctl.RunAsync([.. args, "--node", server.Address])
            : await Rbctl.RunAsync([.. args, "--node", server.Address], environment, CancellationToken.None);
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        return (result, server.Service);
    }
}
