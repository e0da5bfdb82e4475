using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RaftBalancer.Cli.Connection;
using RaftBalancer.Contracts.V1;
using RaftBalancer.Node.Observability;
using RaftBalancer.Node.Tests.Infrastructure;

namespace RaftBalancer.Node.Tests.Admin;

/// <summary>The operator side of security: the admin and ops listeners over TLS (<c>Admin:Tls</c>, rbctl <c>--ca</c>) and scoped tokens (<c>Admin:TokenFile</c>).</summary>
[Trait("Category", "Integration")]
public sealed class AdminSecurityTests
{
    private const string ReadToken = "read-token-0123456789abcdef";
    private const string AdminToken = "admin-token-0123456789abcdef";

    [Fact]
    public async Task Rbctl_HttpsAdmin_WithTheClusterCa_Lists_WithoutCaOrWithAnotherCa_FailsWithTlsError()
    {
        using var certs = new TempDirectory("rb-admin-tls-");
        var (ca, otherCa) = await MakeCertsAsync(certs.Path);
        await using var node = await StartAsync(certs.Path, tls: true, tokenFile: null);

        // --ca: the node's certificate from `rbctl certs init` chains to it and names 127.0.0.1.
        var listed = await Rbctl.RunAsync("--node", node.AdminUrl, "--ca", ca, "-o", "json", "backends", "list");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Equal("a", listed.Json().GetProperty("backends")[0].GetProperty("id").GetString());

        // $RAFTBALANCER_CA does the same.
        var fromEnvironment = await Rbctl.RunAsync(["--node", node.AdminUrl, "-o", "json", "status"], new Dictionary<string, string> { ["RAFTBALANCER_CA"] = ca }, CancellationToken.None);
        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.ToString());

        // No --ca: the system trust store does not know the cluster CA.
        var noCa = await Rbctl.RunAsync("--node", node.AdminUrl, "--timeout", "5s", "backends", "list");
        Assert.True(noCa.ExitCode == 3, noCa.ToString());
        Assert.Contains("TLS: the node's certificate is not trusted; pass --ca", noCa.Error, StringComparison.Ordinal);

        // Another cluster's CA (a second `certs init`) is refused too.
        var wrongCa = await Rbctl.RunAsync("--node", node.AdminUrl, "--ca", otherCa, "--timeout", "5s", "backends", "list");
        Assert.True(wrongCa.ExitCode == 3, wrongCa.ToString());
        Assert.Contains("TLS: the node's certificate does not chain to the CA in " + Path.GetFullPath(otherCa), wrongCa.Error, StringComparison.Ordinal);

        // Cleartext HTTP/2 to the TLS port gets nowhere (UNAVAILABLE or INTERNAL, depending on when the server hangs up).
        var plaintext = await Rbctl.RunAsync("--node", node.AdminUrl.Replace("https://", "http://", StringComparison.Ordinal), "--timeout", "5s", "-o", "json", "backends", "list");
        Assert.True(plaintext.ExitCode is 1 or 3, plaintext.ToString());
        Assert.DoesNotContain("\"backends\":[", plaintext.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminTls_CertificateFilesReplaced_NextConnectionGetsTheNewCertificate_WithoutRestart()
    {
        using var certs = new TempDirectory("rb-admin-tls-reload-");
        var (ca, otherCa) = await MakeCertsAsync(certs.Path);
        await using var node = await StartAsync(certs.Path, tls: true, tokenFile: null);
        var first = await Rbctl.RunAsync("--node", node.AdminUrl, "--ca", ca, "-o", "json", "status");
        Assert.True(first.ExitCode == 0, first.ToString());

        // Re-issue from the other cluster's CA: key first, then the certificate, as SECURITY.md says.
        var other = Path.Combine(certs.Path, "other");
        File.Copy(Path.Combine(other, "node-1.key"), Path.Combine(certs.Path, "node-1.key"), overwrite: true);
        File.Copy(Path.Combine(other, "node-1.crt"), Path.Combine(certs.Path, "node-1.crt"), overwrite: true);

        // Polled in-process (a fresh connection each time, so each one is a new handshake): an rbctl process per attempt
        // can take seconds on a loaded box. Then rbctl itself, once, with each CA.
        Assert.True(CaTrust.TryLoad(otherCa, out var otherTrust, out var error), error);
        await Poll.UntilAsync(
            async () =>
            {
                using var client = new HttpClient(new SocketsHttpHandler { SslOptions = otherTrust.ClientOptions() }) { Timeout = TimeSpan.FromSeconds(10) };
                try
                {
                    using var status = await client.GetAsync(node.AdminUrl + "/-/status");
                    return status.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            "the admin listener serving the replaced certificate");
        var replaced = await Rbctl.RunAsync("--node", node.AdminUrl, "--ca", otherCa, "--timeout", "5s", "-o", "json", "status");
        Assert.True(replaced.ExitCode == 0, replaced.ToString());
        var old = await Rbctl.RunAsync("--node", node.AdminUrl, "--ca", ca, "--timeout", "5s", "status");
        Assert.True(old.ExitCode == 3, old.ToString());
    }

    [Fact]
    public async Task OpsListener_Https_ServesMetricsToAClientTrustingTheCa_AndNotToOneWithoutIt()
    {
        using var certs = new TempDirectory("rb-ops-tls-");
        var (ca, _) = await MakeCertsAsync(certs.Path);
        await using var node = await StartAsync(certs.Path, tls: true, tokenFile: null);
        Assert.True(CaTrust.TryLoad(ca, out var trust, out var error), error);

        using var trusting = new HttpClient(new SocketsHttpHandler { SslOptions = trust.ClientOptions() }) { Timeout = TimeSpan.FromSeconds(10) };
        var metrics = await trusting.GetStringAsync(node.OpsUrl + "/metrics");
        Assert.Contains("raftbalancer_", metrics, StringComparison.Ordinal);

        // The admin port's JSON endpoints are served over HTTPS too (HTTP/1.1 by ALPN, as curl would).
        using var status = await trusting.GetAsync(node.AdminUrl + "/-/status");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);

        using var untrusting = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetStringAsync(node.OpsUrl + "/metrics"));
        Assert.IsType<AuthenticationException>(refused.InnerException);
    }

    [Fact]
    public async Task ReadToken_Lists_MutationPermissionDenied_AndTheBackendListIsUnchanged()
    {
        using var files = new TempDirectory("rb-admin-scope-");
        var tokenFile = Path.Combine(files.Path, "tokens");
        await File.WriteAllTextAsync(tokenFile, "# operators\nread " + ReadToken + "\n\nadmin   " + AdminToken + "\n");
        await using var node = await StartAsync(files.Path, tls: false, tokenFile, requireTokenForReads: true);

        var before = await ListAsync(node, ReadToken);
        Assert.Equal(["a"], before);

        var mutation = await Rbctl.RunAsync("--node", node.AdminUrl, "--token", ReadToken, "-o", "json", "backends", "add", "--id", "b", "--url", "http://127.0.0.1:10");
        Assert.True(mutation.ExitCode == 1, mutation.ToString());
        Assert.Equal("PermissionDenied", mutation.Json().GetProperty("error").GetProperty("code").GetString());
        var drain = await Rbctl.RunAsync("--node", node.AdminUrl, "--token", ReadToken, "-o", "json", "backends", "drain", "--id", "a");
        Assert.Equal("PermissionDenied", drain.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(before, await ListAsync(node, AdminToken));
        Assert.False((await Rbctl.RunAsync("--node", node.AdminUrl, "--token", AdminToken, "-o", "json", "backends", "list")).Json()
            .GetProperty("backends")[0].GetProperty("draining").GetBoolean());

        // An unknown token is not authenticated at all; no token is refused for reads (RequireTokenForReads).
        var unknown = await Rbctl.RunAsync("--node", node.AdminUrl, "--token", "nobody-knows-this-token-0123", "-o", "json", "backends", "list");
        Assert.Equal("Unauthenticated", unknown.Json().GetProperty("error").GetProperty("code").GetString());
        var none = await Rbctl.RunAsync("--node", node.AdminUrl, "-o", "json", "status");
        Assert.Equal("Unauthenticated", none.Json().GetProperty("error").GetProperty("code").GetString());

        // The admin-scope token from the file mutates.
        var added = await Rbctl.RunAsync("--node", node.AdminUrl, "--token", AdminToken, "-o", "json", "backends", "add", "--id", "b", "--url", "http://127.0.0.1:10");
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Equal(["a", "b"], await ListAsync(node, ReadToken));
    }

    [Fact]
    public async Task OpsListener_OffLoopback_AcceptsReadOrAdminToken_RefusesUnknownOrNone()
    {
        using var files = new TempDirectory("rb-ops-scope-");
        var tokenFile = Path.Combine(files.Path, "tokens");
        await File.WriteAllTextAsync(tokenFile, "read " + ReadToken + "\nadmin " + AdminToken + "\n");
        await using var node = await StartAsync(files.Path, tls: false, tokenFile);
        var ops = node.Services.GetRequiredService<OpsEndpoints>();

        Assert.True(ops.IsAllowed(Request(IPAddress.Loopback, bearer: null)));
        Assert.False(ops.IsAllowed(Request(IPAddress.Parse("10.1.2.3"), bearer: null)));
        Assert.True(ops.IsAllowed(Request(IPAddress.Parse("10.1.2.3"), bearer: ReadToken)));
        Assert.True(ops.IsAllowed(Request(IPAddress.Parse("10.1.2.3"), bearer: AdminToken)));
        Assert.False(ops.IsAllowed(Request(IPAddress.Parse("10.1.2.3"), bearer: "nobody-knows-this-token-0123")));

        static DefaultHttpContext Request(IPAddress remote, string? bearer)
        {
            var context = new DefaultHttpContext();
            context.Connection.RemoteIpAddress = remote;
            if (bearer is not null)
            {
                context.Request.Headers.Authorization = "Bearer " + bearer;
            }

            return context;
        }
    }

    [Fact]
    public async Task TokenFile_TwoTokensValid_OneRemovedFromTheFile_IsRefusedWithoutRestart()
    {
        const string Old = "old-admin-token-0123456789";
        const string Kept = "kept-admin-token-0123456789";
        const string New = "new-admin-token-0123456789";
        using var files = new TempDirectory("rb-admin-rotate-");
        var tokenFile = Path.Combine(files.Path, "tokens");
        await File.WriteAllTextAsync(tokenFile, "admin " + Old + "\nadmin " + Kept + "\n");
        await using var node = await StartAsync(files.Path, tls: false, tokenFile, requireTokenForReads: true);
        using var channel = GrpcChannel.ForAddress(node.AdminUrl);
        var client = new RaftBalancer.Contracts.V1.Admin.AdminClient(channel);

        Assert.Equal(StatusCode.OK, await StatusOf(client, Old));
        Assert.Equal(StatusCode.OK, await StatusOf(client, Kept));
        Assert.Equal(StatusCode.Unauthenticated, await StatusOf(client, New));

        // Rotation: the old token's line goes, a new one comes; written to a side file and renamed over, as an operator would.
        var next = tokenFile + ".next";
        await File.WriteAllTextAsync(next, "admin " + Kept + "\nadmin " + New + "\n");
        File.Move(next, tokenFile, overwrite: true);

        await Poll.UntilAsync(async () => await StatusOf(client, Old) == StatusCode.Unauthenticated, TimeSpan.FromSeconds(30), "the removed token refused");
        Assert.Equal(StatusCode.OK, await StatusOf(client, Kept));
        Assert.Equal(StatusCode.OK, await StatusOf(client, New));

        // A mutation with the removed token changes nothing.
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.SetPolicyAsync(new SetPolicyRequest { Policy = "least-connections" }, Bearer(Old)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal("round-robin", (await client.GetClusterStatusAsync(new GetClusterStatusRequest(), Bearer(Kept))).Policy);
    }

    private static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };

    private static async Task<StatusCode> StatusOf(RaftBalancer.Contracts.V1.Admin.AdminClient client, string token)
    {
        try
        {
            await client.ListBackendsAsync(new ListBackendsRequest(), Bearer(token));
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static async Task<List<string>> ListAsync(TlsNode node, string token)
    {
        var run = await Rbctl.RunAsync("--node", node.AdminUrl, "--token", token, "-o", "json", "backends", "list");
        Assert.True(run.ExitCode == 0, run.ToString());
        return [.. run.Json().GetProperty("backends").EnumerateArray().Select(b => b.GetProperty("id").GetString()!)];
    }

    /// <summary>Two `rbctl certs init` runs: this cluster's (in <paramref name="directory"/>) and another one's.</summary>
    private static async Task<(string Ca, string OtherCa)> MakeCertsAsync(string directory)
    {
        var mine = await Rbctl.RunAsync("certs", "init", "--out", directory, "--members", "node-1");
        Assert.True(mine.ExitCode == 0, mine.ToString());
        var otherDirectory = Path.Combine(directory, "other");
        var other = await Rbctl.RunAsync("certs", "init", "--out", otherDirectory, "--members", "node-1");
        Assert.True(other.ExitCode == 0, other.ToString());
        return (Path.Combine(directory, "ca.crt"), Path.Combine(otherDirectory, "ca.crt"));
    }

    private static async Task<TlsNode> StartAsync(string directory, bool tls, string? tokenFile, bool requireTokenForReads = false)
    {
        var scheme = tls ? "https" : "http";
        var config = NodeHost.Config("round-robin", ("a", "http://127.0.0.1:9", 1));
        var adminUrl = scheme + "://127.0.0.1:" + FreePorts.Next();
        var opsUrl = scheme + "://127.0.0.1:" + FreePorts.Next();
        config["Node"]!["AdminUrl"] = adminUrl;
        config["Node"]!["OpsUrl"] = opsUrl;
        var admin = new JsonObject { ["RequireTokenForReads"] = requireTokenForReads };
        if (tokenFile is null)
        {
            admin["Token"] = AdminCluster.Token;
        }
        else
        {
            admin["TokenFile"] = tokenFile;
        }

        if (tls)
        {
            admin["Tls"] = new JsonObject { ["CertificateFile"] = Path.Combine(directory, "node-1.crt"), ["KeyFile"] = Path.Combine(directory, "node-1.key") };
        }

        config["Admin"] = admin;
        return new TlsNode(await NodeHost.StartAsync(config), adminUrl, opsUrl);
    }

    private sealed class TlsNode(NodeHost host, string adminUrl, string opsUrl) : IAsyncDisposable
    {
        public string AdminUrl { get; } = adminUrl;

        public string OpsUrl { get; } = opsUrl;

        public IServiceProvider Services => host.Services;

        public ValueTask DisposeAsync() => host.DisposeAsync();
    }

    private sealed class TempDirectory(string prefix) : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
