using RaftBalancer.Contracts.V1;
using static RaftBalancer.Node.Tests.Admin.AdminTestKit;

namespace RaftBalancer.Node.Tests.Admin;

[Trait("Category", "Integration")]
[Collection(AdminClusterGroup.Name)]
public sealed class AdminRejectionTests(AdminCluster cluster)
{
    private static readonly Metadata WithToken = new() { { "authorization", "Bearer " + AdminCluster.Token } };

    [Fact]
    public async Task Mutations_BadTokenOrBadInput_RefusedWithTheNamedStatus_AndNothingChangesOnAnyNode()
    {
        var follower = await cluster.FollowerAsync();
        var before = await ConfigsOnEveryNodeAsync(cluster);

        // Through rbctl: no token, wrong token.
        var noToken = await Rbctl.RunAsync("--node", follower.AdminUrl, "-o", "json", "backends", "add", "--id", "x1", "--url", cluster.C.Url);
        Assert.Equal(1, noToken.ExitCode);
        Assert.Equal("Unauthenticated", noToken.Json().GetProperty("error").GetProperty("code").GetString());
        var wrong = await Rbctl.RunAsync("--node", follower.AdminUrl, "--token", "not-the-admin-token-at-all", "-o", "json", "backends", "drain", "--id", "a");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal("Unauthenticated", wrong.Json().GetProperty("error").GetProperty("code").GetString());

        // Straight to the server (rbctl would refuse some of these itself).
        var client = follower.Client;
        var invalidUrl = await Assert.ThrowsAsync<RpcException>(() => client.AddBackendAsync(new AddBackendRequest { Id = "x2", Url = "ftp://nowhere", Weight = 1 }, WithToken).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalidUrl.StatusCode);
        Assert.Contains("url", invalidUrl.Status.Detail, StringComparison.Ordinal);

        var negative = await Assert.ThrowsAsync<RpcException>(() => client.UpdateWeightAsync(new UpdateWeightRequest { Id = "a", Weight = -1 }, WithToken).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, negative.StatusCode);
        Assert.Contains("weight", negative.Status.Detail, StringComparison.Ordinal);

        var everything = await Assert.ThrowsAsync<RpcException>(() => client.AddBackendAsync(new AddBackendRequest { Id = "bad id!", Url = "not a url", Weight = 5000 }, WithToken).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, everything.StatusCode);
        Assert.All(new[] { "id:", "url:", "weight:" }, field => Assert.Contains(field, everything.Status.Detail, StringComparison.Ordinal));

        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.DrainBackendAsync(new DrainBackendRequest { Id = "no-such-backend" }, WithToken).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        var unknownRemove = await Assert.ThrowsAsync<RpcException>(() => client.RemoveBackendAsync(new RemoveBackendRequest { Id = "no-such-backend" }, WithToken).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknownRemove.StatusCode);

        var duplicate = await Assert.ThrowsAsync<RpcException>(() => client.AddBackendAsync(new AddBackendRequest { Id = "a", Url = cluster.C.Url, Weight = 1 }, WithToken).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, duplicate.StatusCode);

        var policy = await Assert.ThrowsAsync<RpcException>(() => client.SetPolicyAsync(new SetPolicyRequest { Policy = "random" }, WithToken).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, policy.StatusCode);

        // rbctl's own checks: exit 2, nothing sent.
        Assert.Equal(2, (await RbctlOn(follower, "backends", "set-weight", "--id", "a", "--weight", "-3")).ExitCode);

        Assert.Equal(before, await ConfigsOnEveryNodeAsync(cluster));
    }
}
