namespace RaftBalancer.State.Tests.Raft.Security;

/// <summary>A cluster CA with a certificate per member, and the impostors the refusal tests present: a foreign CA's
/// certificate, a cluster certificate naming no configured member, an expired one, and none.</summary>
internal sealed class PeerTlsFiles : IDisposable
{
    public PeerTlsFiles(IEnumerable<string> members)
    {
        Directory = Path.Combine(Path.GetTempPath(), "rb-tls-" + Guid.NewGuid().ToString("N"));
        Ca = TestCertificates.CreateCa();
        CaFile = TestCertificates.WritePem(Ca, Directory, "ca").Certificate;
        foreach (var member in members)
        {
            var certificate = TestCertificates.Issue(Ca, member);
            Members[member] = certificate;
            TestCertificates.WritePem(certificate, Directory, member);
        }

        using var foreignCa = TestCertificates.CreateCa("foreign CA");
        Foreign = TestCertificates.Issue(foreignCa, Members.Keys.First());
        NotAMember = TestCertificates.Issue(Ca, "intruder");
        Expired = TestCertificates.Issue(Ca, Members.Keys.First(), DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1));
    }

    public string Directory { get; }

    public X509Certificate2 Ca { get; }

    public string CaFile { get; }

    public Dictionary<string, X509Certificate2> Members { get; } = new(StringComparer.Ordinal);

    public X509Certificate2 Foreign { get; }

    public X509Certificate2 NotAMember { get; }

    public X509Certificate2 Expired { get; }

    /// <summary>Points a store's <see cref="RaftStoreOptions.Tls"/> at its own member's files.</summary>
    public void Configure(RaftStoreOptions options)
    {
        options.Tls = new PeerTlsOptions
        {
            CaFile = CaFile,
            CertificateFile = Path.Combine(Directory, options.NodeId + ".crt"),
            KeyFile = Path.Combine(Directory, options.NodeId + ".key"),
        };
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }
}
