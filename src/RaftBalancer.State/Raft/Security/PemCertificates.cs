using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RaftBalancer.State.Raft.Security;

/// <summary>Loads a PEM certificate with its key for a TLS server or client, and fingerprints files to notice when they change.</summary>
/// <remarks>
/// One loader for every TLS listener a node has: member-to-member (<see cref="PeerCredentials"/>) and the node's admin and
/// ops listeners (<c>Admin:Tls</c>). See docs/ARCHITECTURE.md, "Security".
/// </remarks>
public static class PemCertificates
{
    /// <summary>Loads a certificate and its private key from PEM files into a certificate <see cref="System.Net.Security.SslStream"/> can serve on every platform.</summary>
    /// <param name="certificateFile">The certificate (PEM).</param>
    /// <param name="keyFile">Its private key (PEM).</param>
    /// <returns>The certificate with its key.</returns>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The files are not a PEM certificate and its matching key.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static X509Certificate2 Load(string certificateFile, string keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);

        // An ephemeral PEM key cannot be used by SslStream on every platform: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>A fingerprint of the files' contents; it differs when any of them was replaced or rewritten with other bytes.</summary>
    /// <remarks>
    /// Contents, not timestamps and sizes: file times come from the kernel's coarse clock (a few milliseconds), so a
    /// pair rewritten within one tick by a script, with the same sizes (a re-issued certificate or a rotated token
    /// usually has the same length), would look unchanged and never be reloaded. The files are small and read at
    /// most once a second (<see cref="FileChangeCheck"/>).
    /// </remarks>
    /// <param name="files">The files.</param>
    /// <returns>The stamp: a SHA-256 per file, "-" for a missing file, "?" for one that cannot be read now.</returns>
    public static string Stamp(params string[] files) => string.Join('|', files.Select(StampOf));

    private static string StampOf(string file)
    {
        try
        {
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "-";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
