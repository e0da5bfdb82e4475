using System.Net.Security;

namespace RaftBalancer.State.Tests.Raft.Security;

/// <summary>Mutual TLS between members: the cluster works over it, and every impostor is refused on the Raft port and
/// on the write-forwarding endpoint before anything it sends is read, with nothing changed.</summary>
[Trait("Category", "Integration")]
public sealed class PeerTlsTests
{
    private const int PeerRefusedEventId = 2080;

    public enum Impostor
    {
        Plaintext,
        NoCertificate,
        ForeignCa,
        NotAMember,
        SelfNamed,
        Expired,
    }

    /// <summary>Every kind of impostor, for the theories.</summary>
    public static TheoryData<Impostor> Impostors =>
    [
        Impostor.Plaintext,
        Impostor.NoCertificate,
        Impostor.ForeignCa,
        Impostor.NotAMember,
        Impostor.SelfNamed,
        Impostor.Expired,
    ];

    [Fact]
    public async Task StartAsync_WithMutualTls_ElectsAndForwardsFollowerWrites()
    {
        using var files = new PeerTlsFiles(["n1", "n2", "n3"]);
        await using var cluster = await RaftTestCluster.StartAsync(configure: files.Configure);

        var follower = cluster.Running.First(s => !s.IsLeader);
        await follower.SetAsync("over-tls", new byte[] { 7 });

        foreach (var node in cluster.Running)
        {
            await RaftTestCluster.EventuallyAsync(async () => (await node.GetAsync("over-tls")) is not null, $"{node.NodeId} applied the forwarded write");
        }
    }

    [Theory]
    [MemberData(nameof(Impostors))]
    public async Task RaftPort_Impostor_RefusedAndLogged(Impostor impostor)
    {
        using var files = new PeerTlsFiles(["n1", "n2", "n3"]);
        var logs = new ListLoggerFactory();
        await using var cluster = new RaftTestCluster(configure: files.Configure) { LoggerFactory = logs };
        await cluster.StartNodeAsync(0);
        var raft = IPEndPoint.Parse(cluster.Members[0].RaftAddress);

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(raft);
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (impostor == Impostor.Plaintext)
        {
            // What a Raft request looks like to a TLS server: not a TLS record.
            await stream.WriteAsync(new byte[64].Select((_, i) => (byte)(i + 1)).ToArray());
        }
        else
        {
            stream = await HandshakeAsync(stream, CertificateOf(files, impostor, "n1"));
            await stream.WriteAsync(new byte[] { 1, 2, 3, 4 });
        }

        Assert.True(await ClosedAsync(stream), "the Raft port kept talking to an impostor");
        await RaftTestCluster.EventuallyAsync(
            () => Task.FromResult(logs.Entries.Any(e => e.EventId == PeerRefusedEventId)),
            $"the refusal of the {impostor} client logged with EventId {PeerRefusedEventId}");
    }

    [Theory]
    [MemberData(nameof(Impostors))]
    public async Task ForwardEndpoint_ForgedSet_RefusedAndNothingChanges(Impostor impostor)
    {
        using var files = new PeerTlsFiles(["n1", "n2", "n3"]);
        await using var cluster = await RaftTestCluster.StartAsync(configure: files.Configure);
        var leaderIndex = Enumerable.Range(0, 3).Single(i => cluster[i].IsLeader);
        var leader = cluster[leaderIndex];
        var forward = cluster.Members[leaderIndex].ForwardAddress;

        var forged = new ForwardRequest
        {
            FormatVersion = 1,
            Entry = new StateLogEntry { FormatVersion = 1, OriginNodeId = "attacker", Set = new SetCommand { Key = "config/backends/evil", Value = Google.Protobuf.ByteString.CopyFrom([6, 6, 6]) } },
        };
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = AnyCertificate,
                ClientCertificates = CertificateOf(files, impostor, leader.NodeId) is { } c ? new X509CertificateCollection { c } : null,
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        var scheme = impostor == Impostor.Plaintext ? "http" : "https";
        using var content = new ByteArrayContent(StateCodec.Encode(FrameKind.ForwardRequest, forged));
        HttpResponseMessage? response = null;
        try
        {
            response = await http.PostAsync(new Uri($"{scheme}://{forward}{WriteForwardingServer.Path}"), content);
        }
        catch (HttpRequestException)
        {
            // Refused during or right after the handshake: what we want.
        }

        using (response)
        {
            Assert.False(response?.IsSuccessStatusCode ?? false, $"the forwarding endpoint answered {response?.StatusCode} to a {impostor} client");
        }

        // A genuine write after the forged one: once every member applied it, the forged one would have been applied too.
        await cluster.Running.First(s => !s.IsLeader).SetAsync("after-forgery", new byte[] { 1 });
        foreach (var node in cluster.Running)
        {
            await RaftTestCluster.EventuallyAsync(async () => (await node.GetAsync("after-forgery")) is not null, $"{node.NodeId} applied the genuine write");
            Assert.Null(await node.GetAsync("config/backends/evil"));
        }
    }

    [Fact]
    public async Task RaftPort_CertificateFilesReplacedWithAnotherCa_NewCaAcceptedOldRefusedWithoutRestart()
    {
        using var files = new PeerTlsFiles(["n1", "n2", "n3"]);
        await using var cluster = await RaftTestCluster.StartAsync(configure: files.Configure);
        var raft = IPEndPoint.Parse(cluster.Members[0].RaftAddress);
        var oldPeer = Reload(files.Members["n2"]);

        // Rotate: a new CA and new member certificates, written over the files the nodes read.
        using var newCa = TestCertificates.CreateCa("rotated CA");
        var newPeer = Reload(TestCertificates.Issue(newCa, "n2"));
        foreach (var member in new[] { "n1", "n2", "n3" })
        {
            TestCertificates.WritePem(TestCertificates.Issue(newCa, member), files.Directory, member);
        }

        TestCertificates.WritePem(newCa, files.Directory, "ca");

        // The files are re-read at most once a second, on a new connection: poll until the new CA's peer is let in.
        await RaftTestCluster.EventuallyAsync(async () => !await RefusedAsync(raft, newPeer, TimeSpan.FromSeconds(2)), "n1 accepting a certificate from the rotated CA");
        Assert.True(await RefusedAsync(raft, oldPeer, TimeSpan.FromSeconds(15)), "n1 still accepts a certificate from the CA it no longer trusts");
    }

    [Fact]
    public async Task ClientOptions_ServerNamesAnotherMember_HandshakeRefused()
    {
        using var files = new PeerTlsFiles(["n1", "n2", "n3"]);
        var credentials = new RaftBalancer.State.Raft.Security.PeerCredentials(
            new RaftBalancer.State.Raft.Security.PeerTlsOptions { CaFile = files.CaFile, CertificateFile = Path.Combine(files.Directory, "n1.crt"), KeyFile = Path.Combine(files.Directory, "n1.key") },
            "n1",
            ["n1", "n2", "n3"],
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        // A server on n2's address presenting n3's (valid, cluster-issued) certificate.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync();
            await using var tls = new SslStream(accepted.GetStream());
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = SslStreamCertificateContext.Create(Reload(files.Members["n3"]), null, offline: true),
                    ClientCertificateRequired = true,
                    RemoteCertificateValidationCallback = AnyCertificate,
                });
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
            {
                // The client hung up on us.
            }
        });

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        await using var stream = new SslStream(client.GetStream());
        await Assert.ThrowsAsync<System.Security.Authentication.AuthenticationException>(
            () => stream.AuthenticateAsClientAsync(credentials.ClientOptions("n2", null)));
        Assert.Null(credentials.Check(files.Members["n2"], "n2"));
        await server;
    }

    // The impostor clients and the fake server do not care whom they talk to; what is under test is the other side.
    private static bool AnyCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => certificate is not null || errors != SslPolicyErrors.None || chain is null;

    private static X509Certificate2? CertificateOf(PeerTlsFiles files, Impostor impostor, string self) => impostor switch
    {
        Impostor.Plaintext or Impostor.NoCertificate => null,
        Impostor.ForeignCa => Reload(files.Foreign),
        Impostor.NotAMember => Reload(files.NotAMember),
        Impostor.SelfNamed => Reload(files.Members[self]),
        Impostor.Expired => Reload(files.Expired),
        _ => throw new ArgumentOutOfRangeException(nameof(impostor)),
    };

    // An ephemeral key is not usable by SslStream on every platform; a PKCS#12 round trip makes it so.
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);

    private static async Task<Stream> HandshakeAsync(Stream inner, X509Certificate2? certificate)
    {
        var tls = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "n1",
                RemoteCertificateValidationCallback = AnyCertificate,
                ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate },
            });
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            // TLS 1.3 may refuse the client certificate during the handshake or at the first read; both are a refusal.
        }

        return tls;
    }

    /// <summary>Whether a TLS client presenting <paramref name="certificate"/> is closed on within <paramref name="wait"/>.</summary>
    private static async Task<bool> RefusedAsync(IPEndPoint raft, X509Certificate2 certificate, TimeSpan wait)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(raft);
        await using var stream = await HandshakeAsync(new NetworkStream(socket, ownsSocket: false), certificate);
        return await ClosedAsync(stream, wait);
    }

    /// <summary>Whether the server closed the connection (or failed it) within the deadline instead of answering.</summary>
    private static async Task<bool> ClosedAsync(Stream stream, TimeSpan? wait = null)
    {
        using var deadline = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(15));
        var buffer = new byte[256];
        try
        {
            return await stream.ReadAsync(buffer, deadline.Token) == 0;
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or InvalidOperationException or ObjectDisposedException or SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
