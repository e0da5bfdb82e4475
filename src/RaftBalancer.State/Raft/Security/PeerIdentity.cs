using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace RaftBalancer.State.Raft.Security;

/// <summary>How a certificate names a cluster member: a URI subject alternative name <c>urn:raftbalancer:member:{id}</c>.</summary>
public static class PeerIdentity
{
    /// <summary>The prefix of the URI SAN that carries a member id.</summary>
    public const string MemberUriPrefix = "urn:raftbalancer:member:";

    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>Gets the URI SAN that names <paramref name="memberId"/>.</summary>
    /// <param name="memberId">The member id.</param>
    /// <returns>The URI.</returns>
    public static Uri MemberUri(string memberId) => new(MemberUriPrefix + memberId);

    /// <summary>Reads the member id a certificate names.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <returns>The member id, or <see langword="null"/> when the certificate names none or several.</returns>
    public static string? MemberOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string? found = null;
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != SubjectAltNameOid)
            {
                continue;
            }

            try
            {
                var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
                var names = reader.ReadSequence();
                var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
                while (names.HasData)
                {
                    var tag = names.PeekTag();
                    if (!tag.HasSameClassAndValue(uriTag))
                    {
                        names.ReadEncodedValue();
                        continue;
                    }

                    var uri = names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag);
                    if (uri.StartsWith(MemberUriPrefix, StringComparison.Ordinal))
                    {
                        if (found is not null)
                        {
                            return null;
                        }

                        found = uri[MemberUriPrefix.Length..];
                    }
                }
            }
            catch (AsnContentException)
            {
                return null;
            }
        }

        return string.IsNullOrEmpty(found) ? null : found;
    }
}
