using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RaftBalancer.Cli.Connection;

/// <summary>The CA rbctl trusts for https admin addresses (<c>--ca</c> / <c>$RAFTBALANCER_CA</c>), and nothing else.</summary>
/// <remarks>
/// A node's certificate is accepted only when it names the host dialled (the platform's own name check) and chains to
/// this CA as the root (<see cref="X509ChainTrustMode.CustomRootTrust"/>: the system store is not consulted), valid now.
/// Revocation is not checked: the cluster CA publishes no revocation list.
/// </remarks>
internal sealed class CaTrust
{
    private CaTrust(string path, X509Certificate2 ca)
    {
        Path = path;
        Ca = ca;
    }

    /// <summary>The CA file's full path.</summary>
    public string Path { get; }

    /// <summary>The CA certificate.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>Loads a CA certificate (PEM or DER).</summary>
    /// <param name="path">The file.</param>
    /// <param name="trust">The loaded trust.</param>
    /// <param name="error">Why it could not be loaded.</param>
    /// <returns>True when loaded.</returns>
    public static bool TryLoad(string path, out CaTrust trust, out string error)
    {
        trust = null!;
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            error = $"file '{full}' does not exist.";
            return false;
        }

        try
        {
            trust = new CaTrust(full, X509CertificateLoader.LoadCertificateFromFile(full));
            error = string.Empty;
            return true;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            error = $"'{full}' is not a certificate (PEM or DER): {e.Message}";
            return false;
        }
    }

    /// <summary>The TLS client options that trust only this CA.</summary>
    public SslClientAuthenticationOptions ClientOptions() => new()
    {
        RemoteCertificateValidationCallback = (_, certificate, _, errors) => Accepts(certificate, errors),
    };

    /// <summary>True when <paramref name="certificate"/> names the host dialled and chains to the CA alone.</summary>
    /// <param name="certificate">The node's certificate.</param>
    /// <param name="errors">What the platform found; its chain verdict is replaced by ours, its name check is kept.</param>
    public bool Accepts(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented)
            && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(Ca.RawDataMemory.Span);
    }
}
