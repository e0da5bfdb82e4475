using System.Net.Security;
using RaftBalancer.Cli.Connection;

namespace RaftBalancer.Cli.Tests.Connection;

/// <summary>rbctl <c>--ca</c>: a node's certificate is accepted only when it chains to that CA and names the host dialled.</summary>
[Trait("Category", "Unit")]
public sealed class CaTrustTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rb-ca-trust-").FullName;

    [Fact]
    public void Accepts_CertificateFromTheCa_EvenThoughTheSystemDoesNotTrustIt()
    {
        using var ca = TestCertificates.CreateCa();
        using var node = TestCertificates.Issue(ca, "node-1");
        var trust = Load(ca);

        Assert.True(trust.Accepts(node, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.True(trust.Accepts(node, SslPolicyErrors.None));
    }

    [Fact]
    public void Refuses_CertificateFromAnotherCa_TheCaItself_NameMismatch_AndNone()
    {
        using var ca = TestCertificates.CreateCa();
        using var other = TestCertificates.CreateCa("another cluster CA");
        using var foreign = TestCertificates.Issue(other, "node-1");
        using var node = TestCertificates.Issue(ca, "node-1");
        var trust = Load(ca);

        Assert.False(trust.Accepts(foreign, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(trust.Accepts(foreign, SslPolicyErrors.None));
        Assert.False(trust.Accepts(other, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(trust.Accepts(node, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(trust.Accepts(null, SslPolicyErrors.RemoteCertificateNotAvailable));
    }

    [Fact]
    public void Refuses_ExpiredCertificateFromTheCa()
    {
        using var ca = TestCertificates.CreateCa();
        using var expired = TestCertificates.Issue(ca, "node-1", DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1));

        Assert.False(Load(ca).Accepts(expired, SslPolicyErrors.RemoteCertificateChainErrors));
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

    private CaTrust Load(System.Security.Cryptography.X509Certificates.X509Certificate2 ca)
    {
        var (crt, _) = TestCertificates.WritePem(ca, _directory, "ca-" + Guid.NewGuid().ToString("N"));
        Assert.True(CaTrust.TryLoad(crt, out var trust, out var error), error);
        return trust;
    }
}
