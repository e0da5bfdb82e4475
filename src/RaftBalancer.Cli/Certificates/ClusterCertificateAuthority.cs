using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RaftBalancer.Cli.Certificates;

/// <summary>Makes a cluster's certificates with the BCL alone: a CA, one certificate per member, one for operators.</summary>
/// <remarks>
/// ECDSA P-256 keys. A member's certificate names it in the URI SAN <c>urn:raftbalancer:member:{id}</c> (what peers check)
/// and carries the host names and addresses given, so that generic TLS clients (rbctl, gRPC tools, browsers) can reach
/// its admin and proxy ports too; it is valid for both server and client authentication. The operator certificate names
/// no member.
/// </remarks>
internal static class ClusterCertificateAuthority
{
    /// <summary>The URI SAN prefix that names a member (the node checks the same prefix).</summary>
    public const string MemberUriPrefix = "urn:raftbalancer:member:";

    /// <summary>The base name of the operator certificate's files.</summary>
    public const string OperatorName = "operator";

    /// <summary>Writes <c>ca.crt</c>, <c>ca.key</c> and <c>{name}.crt</c>/<c>{name}.key</c> for each member and the operator into <paramref name="directory"/>.</summary>
    /// <param name="directory">The output directory (created).</param>
    /// <param name="members">The member ids.</param>
    /// <param name="hosts">DNS names and IP addresses every member certificate also carries.</param>
    /// <param name="validity">How long the certificates are valid from now.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<string> members, IReadOnlyList<string> hosts, TimeSpan validity, DateTimeOffset now)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=RaftBalancer cluster CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.Add(validity).AddDays(1));
        written.Add(WriteCertificate(directory, "ca", ca, caKey));

        foreach (var member in members)
        {
            written.Add(Issue(directory, member, ca, member, hosts, now, validity));
        }

        written.Add(Issue(directory, OperatorName, ca, member: null, hosts: [], now, validity));
        return written;
    }

    private static string Issue(string directory, string name, X509Certificate2 ca, string? member, IReadOnlyList<string> hosts, DateTimeOffset now, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        if (member is not null)
        {
            san.AddUri(new Uri(MemberUriPrefix + member));
            san.AddDnsName(member);
        }
        else
        {
            san.AddDnsName(name);
        }

        foreach (var host in hosts)
        {
            if (IPAddress.TryParse(host, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(host);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(ca, now.AddMinutes(-5), now.Add(validity), serial);
        return WriteCertificate(directory, name, certificate, key);
    }

    private static string WriteCertificate(string directory, string name, X509Certificate2 certificate, ECDsa key)
    {
        var crt = Path.Combine(directory, name + ".crt");
        var keyFile = Path.Combine(directory, name + ".key");
        File.WriteAllText(crt, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, string.Empty);
        if (!OperatingSystem.IsWindows())
        {
            // Owner-only before the key is written into it.
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return crt;
    }
}
