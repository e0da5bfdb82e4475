using System.Text.Json.Nodes;
using RaftBalancer.Node.Hosting;
using RaftBalancer.Node.Options;
using RaftBalancer.Node.Tests.Infrastructure;

namespace RaftBalancer.Node.Tests.Options;

/// <summary>Bad admin security settings (token file, <c>Admin:Tls</c>) stop the node before it starts, naming the setting.</summary>
[Trait("Category", "Unit")]
public sealed class AdminSecurityConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rb-admin-cfg-").FullName;

    [Fact]
    public async Task Build_TokenFileMissing_FailsNamingTokenFile()
    {
        var missing = Path.Combine(_directory, "no-such-tokens");
        var ex = await BuildFails(Admin(new JsonObject { ["TokenFile"] = missing }));
        Assert.Contains(ex.Errors, e => e == "Admin:TokenFile '" + missing + "': the file does not exist.");
    }

    [Fact]
    public async Task Build_TokenFileUnreadable_FailsNamingTokenFile()
    {
        // A directory cannot be read as a file, even by root (chmod would not stop root).
        var directory = Directory.CreateDirectory(Path.Combine(_directory, "tokens.d")).FullName;
        var ex = await BuildFails(Admin(new JsonObject { ["TokenFile"] = directory }));
        Assert.Contains(ex.Errors, e => e.StartsWith("Admin:TokenFile '" + directory + "': cannot read the file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_TokenFileLineWithUnknownScope_FailsNamingTheLine()
    {
        var file = TokenFile("# ops\nread read-token-0123456789abcdef\nwrite write-token-0123456789abc\n");
        var ex = await BuildFails(Admin(new JsonObject { ["TokenFile"] = file }));
        var error = Assert.Single(ex.Errors);
        Assert.Equal("Admin:TokenFile '" + file + "' line 3: unknown scope; the first field must be read or admin.", error);
        Assert.DoesNotContain("write-token", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_TokenFileLineWithEmptyToken_FailsNamingTheLine()
    {
        var file = TokenFile("admin admin-token-0123456789abcdef\nread   \n");
        var ex = await BuildFails(Admin(new JsonObject { ["TokenFile"] = file }));
        Assert.Contains(ex.Errors, e => e.StartsWith("Admin:TokenFile '" + file + "' line 2: the token is empty", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_TokenFileShortToken_FailsNamingTheLine()
    {
        var file = TokenFile("read short\n");
        var ex = await BuildFails(Admin(new JsonObject { ["TokenFile"] = file }));
        Assert.Contains(ex.Errors, e => e.StartsWith("Admin:TokenFile '" + file + "' line 1: the token must be at least 16 characters", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_TlsCertificateWithoutKey_FailsNamingKeyFile()
    {
        var (crt, _) = Certificate();
        var config = Admin(new JsonObject { ["Token"] = "admin-token-0123456789abcdef", ["Tls"] = new JsonObject { ["CertificateFile"] = crt } });
        config["Node"]!["AdminUrl"] = "https://127.0.0.1:" + FreePorts.Next();
        var ex = await BuildFails(config);
        Assert.Contains(ex.Errors, e => e.StartsWith("Admin:Tls:KeyFile is not set but Admin:Tls:CertificateFile is", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_TlsKeyNotMatchingCertificate_FailsNamingBothFiles()
    {
        var (crt, _) = Certificate();
        var (_, otherKey) = Certificate("other");
        var config = Admin(new JsonObject { ["Token"] = "admin-token-0123456789abcdef", ["Tls"] = new JsonObject { ["CertificateFile"] = crt, ["KeyFile"] = otherKey } });
        config["Node"]!["AdminUrl"] = "https://127.0.0.1:" + FreePorts.Next();
        var ex = await BuildFails(config);
        Assert.Contains(ex.Errors, e => e.StartsWith("Admin:Tls:CertificateFile/KeyFile: cannot load", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_HttpsAdminUrlWithoutTls_AndTlsWithHttpOpsUrl_FailNamingTheSettings()
    {
        var config = Admin(new JsonObject { ["Token"] = "admin-token-0123456789abcdef" });
        config["Node"]!["AdminUrl"] = "https://127.0.0.1:" + FreePorts.Next();
        var ex = await BuildFails(config);
        Assert.Contains(ex.Errors, e => e.StartsWith("Node:AdminUrl is https but Admin:Tls:CertificateFile and Admin:Tls:KeyFile are not set", StringComparison.Ordinal));

        var (crt, key) = Certificate();
        config = Admin(new JsonObject { ["Token"] = "admin-token-0123456789abcdef", ["Tls"] = new JsonObject { ["CertificateFile"] = crt, ["KeyFile"] = key } });
        config["Node"]!["AdminUrl"] = "https://127.0.0.1:" + FreePorts.Next();
        config["Node"]!["OpsUrl"] = "http://127.0.0.1:" + FreePorts.Next();
        ex = await BuildFails(config);
        Assert.Contains(ex.Errors, e => e.StartsWith("Node:OpsUrl must be https when Admin:Tls is set", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static JsonObject Admin(JsonObject admin)
    {
        var config = NodeHost.Config("round-robin", ("a", "http://127.0.0.1:1", 1));
        config["Admin"] = admin;
        return config;
    }

    private string TokenFile(string text)
    {
        var path = Path.Combine(_directory, "tokens-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, text);
        return path;
    }

    private (string Certificate, string Key) Certificate(string name = "node-1")
    {
        using var ca = TestCertificates.CreateCa();
        using var leaf = TestCertificates.Issue(ca, name);
        return TestCertificates.WritePem(leaf, _directory, name);
    }

    private async Task<NodeConfigurationException> BuildFails(JsonObject config)
    {
        var path = Path.Combine(_directory, "node-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        return await Assert.ThrowsAsync<NodeConfigurationException>(() => NodeApp.BuildAsync(["--config", path]));
    }
}
