using System.IO.Pipelines;
using System.Net.Security;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;

namespace RaftBalancer.State.Raft.Security;

/// <summary>A socket connection after a successful TLS handshake: its transport carries the decrypted bytes.</summary>
/// <remarks>Aborting it aborts the socket, which fails every read and write in flight.</remarks>
internal sealed class TlsConnection : DelegatingConnection
{
    private readonly SslStream _tls;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;

    private TlsConnection(ConnectionContext inner, SslStream tls, PipeReader reader, PipeWriter writer, string? peerMember)
        : base(inner, new Pipe(reader, writer))
    {
        _tls = tls;
        PeerMember = peerMember;
        _reader = reader;
        _writer = writer;
    }

    /// <summary>Gets the member id the peer's certificate names.</summary>
    public string? PeerMember { get; }

    /// <summary>Runs the server side of the handshake on an accepted connection.</summary>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The peer was refused.</exception>
    public static async Task<TlsConnection> AcceptAsync(ConnectionContext inner, PeerCredentials credentials, CancellationToken cancellationToken)
    {
        var tls = new SslStream(new DuplexStream(inner.Transport), leaveInnerStreamOpen: false);
        var refusal = new StrongBox<string?>();
        try
        {
            await tls.AuthenticateAsServerAsync(credentials.ServerOptions(inner.RemoteEndPoint, refusal), cancellationToken);
        }
        catch (Exception e)
        {
            await tls.DisposeAsync();

            // One line per peer and reason: a refused certificate says why; anything else (no TLS, no certificate, a
            // client that gave up or timed out) is named by the failure's type.
            credentials.LogRefusal(inner.RemoteEndPoint, refusal.Value ?? "TLS handshake failed (" + e.GetType().Name + ")");
            throw;
        }

        return Create(inner, tls, MemberOf(tls));
    }

    /// <summary>Runs the client side of the handshake on a connection to <paramref name="member"/>.</summary>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The server was refused or refused us.</exception>
    public static async Task<TlsConnection> ConnectAsync(ConnectionContext inner, PeerCredentials credentials, string member, CancellationToken cancellationToken)
    {
        var tls = new SslStream(new DuplexStream(inner.Transport), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(credentials.ClientOptions(member, inner.RemoteEndPoint), cancellationToken);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }

        return Create(inner, tls, member);
    }

    public override async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await _writer.CompleteAsync();
        await _tls.DisposeAsync();
        await base.DisposeAsync();
    }

    private static TlsConnection Create(ConnectionContext inner, SslStream tls, string? peerMember) =>
        new(inner, tls, PipeReader.Create(tls, new StreamPipeReaderOptions(leaveOpen: true)), PipeWriter.Create(tls, new StreamPipeWriterOptions(leaveOpen: true)), peerMember);

    private static string? MemberOf(SslStream tls) =>
        tls.RemoteCertificate is System.Security.Cryptography.X509Certificates.X509Certificate2 c ? PeerIdentity.MemberOf(c) : null;

    private sealed class Pipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
