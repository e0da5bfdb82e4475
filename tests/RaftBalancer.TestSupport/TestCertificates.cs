using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RaftBalancer.TestSupport;

/// <summary>Certificates for TLS tests: a CA and leaf certificates naming cluster members, written as PEM files.</summary>
/// <remarks>Leaves carry the member URI SAN (<c>urn:raftbalancer:member:{id}</c>), the DNS name <c>localhost</c> and the loopback addresses.</remarks>
public static class TestCertificates
{
    /// <summary>Makes a self-signed CA.</summary>
    public static X509Certificate2 CreateCa(string name = "test cluster CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddYears(2));
    }

    /// <summary>Issues a leaf certificate (with its key) from <paramref name="ca"/> naming <paramref name="member"/>.</summary>
    /// <param name="ca">The issuing CA (with its key).</param>
    /// <param name="member">The member id for the URI SAN, or <see langword="null"/> for none.</param>
    /// <param name="notBefore">Start of validity (default: a day ago).</param>
    /// <param name="notAfter">End of validity (default: in a year).</param>
    public static X509Certificate2 Issue(X509Certificate2 ca, string? member, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        ArgumentNullException.ThrowIfNull(ca);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={member ?? "nobody"}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        if (member is not null)
        {
            san.AddUri(new Uri("urn:raftbalancer:member:" + member));
        }

        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(ca, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddYears(1), serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Writes a certificate (and its key, when it has one) as PEM files <c>{name}.crt</c> and <c>{name}.key</c> in <paramref name="directory"/>.</summary>
    /// <returns>The certificate and key file paths.</returns>
    public static (string Certificate, string Key) WritePem(X509Certificate2 certificate, string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Directory.CreateDirectory(directory);
        var crt = Path.Combine(directory, name + ".crt");
        var key = Path.Combine(directory, name + ".key");
        File.WriteAllText(crt, certificate.ExportCertificatePem());
        var ecdsa = certificate.GetECDsaPrivateKey();
        if (ecdsa is not null)
        {
            using (ecdsa)
            {
                File.WriteAllText(key, ecdsa.ExportPkcs8PrivateKeyPem());
            }
        }

        return (crt, key);
    }
}
