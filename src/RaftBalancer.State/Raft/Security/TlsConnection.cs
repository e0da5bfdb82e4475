using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace RaftBalancer.State.Raft.Security;

/// <summary>A socket connection after a successful TLS handshake: its transport carries the decrypted bytes.</summary>
/// <remarks>Aborting it aborts the socket, which fails every read and write in flight.</remarks>
internal sealed class TlsConnection : ConnectionContext
{
    private readonly ConnectionContext _inner;
    private readonly SslStream _tls;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private IDuplexPipe _transport;

    private TlsConnection(ConnectionContext inner, SslStream tls)
    {
        _inner = inner;
        _tls = tls;
        _reader = PipeReader.Create(tls, new StreamPipeReaderOptions(leaveOpen: true));
        _writer = PipeWriter.Create(tls, new StreamPipeWriterOptions(leaveOpen: true));
        _transport = new Pipe(_reader, _writer);
    }

    /// <summary>Gets the member id the peer's certificate names.</summary>
    public string? PeerMember { get; private init; }

    public override string ConnectionId
    {
        get => _inner.ConnectionId;
        set => _inner.ConnectionId = value;
    }

    public override IFeatureCollection Features => _inner.Features;

    public override IDictionary<object, object?> Items
    {
        get => _inner.Items;
        set => _inner.Items = value;
    }

    public override IDuplexPipe Transport
    {
        get => _transport;
        set => _transport = value;
    }

    public override CancellationToken ConnectionClosed
    {
        get => _inner.ConnectionClosed;
        set => _inner.ConnectionClosed = value;
    }

    public override EndPoint? LocalEndPoint
    {
        get => _inner.LocalEndPoint;
        set => _inner.LocalEndPoint = value;
    }

    public override EndPoint? RemoteEndPoint
    {
        get => _inner.RemoteEndPoint;
        set => _inner.RemoteEndPoint = value;
    }

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

        return new TlsConnection(inner, tls) { PeerMember = MemberOf(tls) };
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

        return new TlsConnection(inner, tls) { PeerMember = member };
    }

    public override void Abort(ConnectionAbortedException abortReason) => _inner.Abort(abortReason);

    public override void Abort() => _inner.Abort();

    public override async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await _writer.CompleteAsync();
        await _tls.DisposeAsync();
        await _inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private static string? MemberOf(SslStream tls) =>
        tls.RemoteCertificate is System.Security.Cryptography.X509Certificates.X509Certificate2 c ? PeerIdentity.MemberOf(c) : null;

    private sealed class Pipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
