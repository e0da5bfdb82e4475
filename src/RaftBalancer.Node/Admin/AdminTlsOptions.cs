namespace RaftBalancer.Node.Admin;

/// <summary>
/// The certificate the admin listener (<c>Node:AdminUrl</c>) and the ops listener (<c>Node:OpsUrl</c>) serve HTTPS with
/// (configuration section <c>Admin:Tls</c>). PEM files, e.g. the node's own from <c>rbctl certs init</c>; re-read when they change.
/// </summary>
public sealed class AdminTlsOptions
{
    /// <summary>The certificate (PEM); its SANs must cover the host names and addresses operators dial.</summary>
    public string CertificateFile { get; set; } = string.Empty;

    /// <summary>Its private key (PEM).</summary>
    public string KeyFile { get; set; } = string.Empty;

    /// <summary>Gets a value indicating whether either file is set (TLS is then on and both are required).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificateFile) || !string.IsNullOrWhiteSpace(KeyFile);
}
