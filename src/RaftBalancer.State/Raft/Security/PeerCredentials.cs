using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Net;
using System.Runtime.CompilerServices;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace RaftBalancer.State.Raft.Security;

/// <summary>This node's TLS material for member-to-member connections, and the check every peer certificate passes.</summary>
/// <remarks>
/// <para>
/// A peer is accepted only with a certificate that chains to the cluster CA alone (custom root trust, the system store is
/// never consulted), is valid now, and names a member in its URI SAN (<see cref="PeerIdentity"/>). Outbound, the named
/// member must be the one dialled. Inbound, a connection claims no identity before TLS, so the certificate establishes it:
/// it must name a configured member other than this node.
/// </para>
/// <para>
/// The files are re-read, at most once a second, when a new connection finds one of their timestamps changed: rotation
/// needs no restart. A file that fails to load keeps the previous material and is logged. Thread-safe: the material is
/// one immutable object swapped atomically.
/// </para>
/// </remarks>
internal sealed class PeerCredentials
{
    private const int MaxLoggedRefusals = 1024;

    private readonly PeerTlsOptions _options;
    private readonly string _self;
    private readonly FrozenSet<string> _members;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, byte> _loggedRefusals = new();
    private readonly FileChangeCheck _files;
    private Material _material;

    public PeerCredentials(PeerTlsOptions options, string self, IEnumerable<string> members, ILogger logger, TimeProvider? time = null)
    {
        _options = options;
        _self = self;
        _members = members.ToFrozenSet(StringComparer.Ordinal);
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _files = new FileChangeCheck(_time, options.CaFile, options.CertificateFile, options.KeyFile);
        _material = Material.Load(options);
    }

    /// <summary>Gets this node's current certificate (with its key).</summary>
    public X509Certificate2 Certificate => Current.Certificate;

    private Material Current
    {
        get
        {
            _files.WhenChanged(Reload);
            return Volatile.Read(ref _material);
        }
    }

    /// <summary>Options for the server side of a member-to-member TLS connection (the Raft listener, the forwarding endpoint).</summary>
    /// <param name="remote">The remote endpoint, for the refusal log.</param>
    /// <param name="refusal">Receives why the peer's certificate was refused, for the caller to log; <see langword="null"/> logs it here.</param>
    /// <param name="alpn">The application protocols offered, or <see langword="null"/>.</param>
    public SslServerAuthenticationOptions ServerOptions(EndPoint? remote, StrongBox<string?>? refusal = null, List<SslApplicationProtocol>? alpn = null)
    {
        var material = Current;
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = material.Context,
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ApplicationProtocols = alpn,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => Accept(certificate, expectedMember: null, remote, refusal),
        };
    }

    /// <summary>Options for the client side of a connection to <paramref name="member"/>.</summary>
    /// <param name="member">The member dialled: the server's certificate must name it.</param>
    /// <param name="remote">The endpoint dialled, for the refusal log.</param>
    public SslClientAuthenticationOptions ClientOptions(string member, EndPoint? remote)
    {
        var material = Current;
        return new SslClientAuthenticationOptions
        {
            TargetHost = member,
            ClientCertificateContext = material.Context,
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => Accept(certificate, member, remote, box: null),
        };
    }

    /// <summary>Checks a peer's certificate: chain to the cluster CA only, valid now, naming the expected (or any other configured) member.</summary>
    /// <param name="certificate">The certificate the peer presented, or <see langword="null"/>.</param>
    /// <param name="expectedMember">The member dialled (outbound), or <see langword="null"/> (inbound).</param>
    /// <returns>Why it is refused, or <see langword="null"/> when it is accepted.</returns>
    public string? Check(X509Certificate? certificate, string? expectedMember)
    {
        if (certificate is null)
        {
            return "no certificate";
        }

        var peer = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var material = Current;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(material.Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (!chain.Build(peer))
        {
            var status = chain.ChainStatus.Length == 0 ? "untrusted" : string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()));
            return $"certificate '{peer.Subject}' not accepted by the cluster CA ({status})";
        }

        var root = chain.ChainElements[^1].Certificate;
        if (!root.RawDataMemory.Span.SequenceEqual(material.Ca.RawDataMemory.Span))
        {
            return $"certificate '{peer.Subject}' does not chain to the cluster CA";
        }

        var named = PeerIdentity.MemberOf(peer);
        if (named is null)
        {
            return $"certificate '{peer.Subject}' names no member (URI SAN {PeerIdentity.MemberUriPrefix}<id>)";
        }

        if (expectedMember is not null)
        {
            return named == expectedMember ? null : $"certificate names member '{named}', not '{expectedMember}' that was dialled";
        }

        if (named == _self)
        {
            return $"certificate names this node ('{named}')";
        }

        return _members.Contains(named) ? null : $"certificate names '{named}', which is not a configured member";
    }

    /// <summary>Logs a refused peer, once per remote address and reason.</summary>
    public void LogRefusal(EndPoint? remote, string reason)
    {
        var address = remote is IPEndPoint ip ? ip.Address.ToString() : remote?.ToString() ?? "?";
        if (_loggedRefusals.Count < MaxLoggedRefusals && _loggedRefusals.TryAdd(address + "|" + reason, 0))
        {
            Log.PeerRefused(_logger, _self, address, reason);
        }
    }

    private bool Accept(X509Certificate? certificate, string? expectedMember, EndPoint? remote, StrongBox<string?>? box)
    {
        var refusal = Check(certificate, expectedMember);
        if (refusal is not null)
        {
            if (box is null)
            {
                LogRefusal(remote, refusal);
            }
            else
            {
                box.Value = refusal;
            }
        }

        return refusal is null;
    }

    private void Reload()
    {
        try
        {
            Volatile.Write(ref _material, Material.Load(_options));
            Log.PeerTlsReloaded(_logger, _self, _options.CertificateFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            // Keep the previous material; the same bad files are reported once and retried when they change again.
            Log.PeerTlsReloadFailed(_logger, _self, e.Message);
        }
    }

    private sealed record Material(X509Certificate2 Certificate, SslStreamCertificateContext Context, X509Certificate2 Ca)
    {
        public static Material Load(PeerTlsOptions options)
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(options.CaFile);
            var certificate = PemCertificates.Load(options.CertificateFile, options.KeyFile);
            var context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
            return new Material(certificate, context, ca);
        }
    }
}
