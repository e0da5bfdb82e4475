namespace RaftBalancer.Cli.Tests.Certificates;

/// <summary><c>rbctl certs init</c>: a CA, a certificate per member naming it, an operator certificate naming no member.</summary>
[Trait("Category", "Unit")]
public sealed class CertsInitTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rb-certs-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task CertsInit_ThreeMembers_EachCertificateChainsToTheCaAndNamesItsMember()
    {
        var result = await Rbctl.RunAsync("certs", "init", "--out", _directory, "--members", "node-1,node-2,node-3");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_directory, "ca.crt"));
        foreach (var name in new[] { "node-1", "node-2", "node-3", "operator" })
        {
            using var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(_directory, name + ".crt"), Path.Combine(_directory, name + ".key"));
            Assert.True(certificate.HasPrivateKey);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            Assert.True(chain.Build(certificate), $"{name}: {string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation))}");
            var san = Encoding.ASCII.GetString(certificate.Extensions["2.5.29.17"]!.RawData);
            Assert.Equal(name != "operator", san.Contains("urn:raftbalancer:member:" + name, StringComparison.Ordinal));
            Assert.DoesNotContain("urn:raftbalancer:member:", name == "operator" ? san : string.Empty, StringComparison.Ordinal);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "ca.key")));
        }
    }

    [Fact]
    public async Task CertsInit_ExistingCa_RefusedWithoutForce()
    {
        Assert.Equal(0, (await Rbctl.RunAsync("certs", "init", "--out", _directory, "--members", "a,b,c")).ExitCode);
        var before = File.ReadAllText(Path.Combine(_directory, "ca.crt"));

        var again = await Rbctl.RunAsync("certs", "init", "--out", _directory, "--members", "a,b,c");

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("--force", again.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(_directory, "ca.crt")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
