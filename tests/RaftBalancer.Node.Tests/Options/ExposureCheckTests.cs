using Microsoft.Extensions.Configuration;

namespace RaftBalancer.Node.Tests.Options;

/// <summary>Secure by default: a node that would listen beyond loopback refuses plaintext node-to-node traffic, the dev token and no token.</summary>
public sealed class ExposureCheckTests
{
    private const string GoodToken = "a-real-token-0123456789";

    /// <summary>The real process exits 2 and names the setting; it binds to 0.0.0.0 in config only and sends nothing anywhere.</summary>
    [Theory]
    [Trait("Category", "Integration")]
    [InlineData("dev-token", "Admin:Token is the shipped dev token")]
    [InlineData("no-token", "Admin:Token is not set")]
    [InlineData("plaintext-raft", "Cluster:CertificateFile is not set")]
    [InlineData("insecure-raft", "Cluster:Insecure is accepted on loopback only")]
    public async Task Process_NonLoopbackUnsafeSetting_ExitsWithCode2NamingIt(string unsafeSetting, string message)
    {
        var config = NodeHost.Config("round-robin", ("a", "http://127.0.0.1:1", 1));
        config["Node"]!["ProxyUrl"] = "http://0.0.0.0:" + FreePorts.Next();
        config["Admin"] = new JsonObject { ["Token"] = GoodToken };
        switch (unsafeSetting)
        {
            case "dev-token":
                config["Admin"]!["Token"] = ExposureCheck.DevToken;
                break;
            case "no-token":
                config["Admin"] = new JsonObject();
                break;
            case "plaintext-raft":
            case "insecure-raft":
                MakeRaft(config);
                if (unsafeSetting == "insecure-raft")
                {
                    config["Cluster"] = new JsonObject { ["Insecure"] = true };
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(unsafeSetting), unsafeSetting, null);
        }

        using var process = await NodeProcess.StartAsync(config, new Dictionary<string, string?> { ["RAFTBALANCER_ADMIN_TOKEN"] = null });
        await NodeProcess.AssertExitsWithCode2Async(process, message);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Collect_LoopbackWithDevTokenAndPlaintext_Allowed()
    {
        var config = NodeHost.Config("round-robin", ("a", "http://127.0.0.1:1", 1));
        config["Admin"] = new JsonObject { ["Token"] = ExposureCheck.DevToken };
        MakeRaft(config);

        Assert.Empty(ExposureCheck.Collect(Bind(config), Configuration(config)));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Collect_NonLoopbackWithTlsAndOwnToken_Allowed()
    {
        var config = NodeHost.Config("round-robin", ("a", "http://127.0.0.1:1", 1));
        config["Node"]!["AdminUrl"] = "http://0.0.0.0:1";
        config["Admin"] = new JsonObject { ["Token"] = GoodToken };
        MakeRaft(config);
        config["Cluster"] = new JsonObject { ["CaFile"] = "ca.crt", ["CertificateFile"] = "node-1.crt", ["KeyFile"] = "node-1.key" };

        Assert.Empty(ExposureCheck.Collect(Bind(config), Configuration(config)));
    }

    private static void MakeRaft(JsonObject config)
    {
        var node = config["Node"]!;
        node["StateStore"] = "raft";
        node["DataDir"] = Directory.CreateTempSubdirectory("rb-data-").FullName;
        var members = new JsonArray();
        for (var i = 1; i <= 3; i++)
        {
            members.Add(new JsonObject { ["Id"] = $"node-{i}", ["RaftUrl"] = $"http://127.0.0.1:{FreePorts.Next()}", ["AdminUrl"] = "http://127.0.0.1:1", ["ProxyUrl"] = "http://127.0.0.1:1" });
        }

        node["Members"] = members;
        node["RaftUrl"] = members[0]!["RaftUrl"]!.GetValue<string>();
    }

    private static IConfiguration Configuration(JsonObject config) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(config.ToJsonString()))).Build();

    private static NodeOptions Bind(JsonObject config)
    {
        var options = new NodeOptions();
        Configuration(config).GetSection(NodeOptions.SectionName).Bind(options);
        return options;
    }
}
