namespace RaftBalancer.State.Raft.Security;

/// <summary>Mutual TLS between members: this node's certificate and key, and the cluster CA every peer's certificate must chain to.</summary>
/// <remarks>All three are PEM files; they are re-read when they change (see docs/ARCHITECTURE.md, "Security").</remarks>
public sealed class PeerTlsOptions
{
    /// <summary>Gets or sets the cluster CA certificate (PEM); the only trust anchor for peers.</summary>
    public string CaFile { get; set; } = string.Empty;

    /// <summary>Gets or sets this node's certificate (PEM), issued by the cluster CA, naming this node's member id.</summary>
    public string CertificateFile { get; set; } = string.Empty;

    /// <summary>Gets or sets this node's private key (PEM).</summary>
    public string KeyFile { get; set; } = string.Empty;

    /// <summary>Gets a value indicating whether any of the three files is set (TLS is then on and all three are required).</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(CaFile) || !string.IsNullOrWhiteSpace(CertificateFile) || !string.IsNullOrWhiteSpace(KeyFile);
}
