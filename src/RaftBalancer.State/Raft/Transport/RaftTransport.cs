using System.Collections.Frozen;
using System.Net;
using DotNext.Net.Cluster.Consensus.Raft;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using RaftBalancer.State.Raft.Security;

namespace RaftBalancer.State.Raft.Transport;

/// <summary>Builds a node's Raft transport: DotNext's connection-oriented custom transport over Kestrel's sockets.</summary>
/// <remarks>
/// It speaks the same Raft protocol and timeouts as DotNext's TCP transport; the difference is that our
/// <see cref="PeerConnectionFactory"/> opens the outbound connections, which lets the <see cref="ElectionGuard"/>
/// abort the ones to a hung member and, when the store is started with <see cref="IPeerLinkHooks"/> (a test host only), lets them fault each link.
/// </remarks>
internal static class RaftTransport
{
    public static (RaftCluster.CustomTransportConfiguration Configuration, PeerConnectionFactory Connections) Configure(
        RaftStoreOptions options,
        RaftMemberOptions self,
        IPeerLinkHooks? linkHooks,
        PeerCredentials? credentials,
        TimeSpan connectTimeout,
        ILoggerFactory loggerFactory)
    {
        var peers = options.Members.ToFrozenDictionary(m => (EndPoint)IPEndPoint.Parse(m.RaftAddress), m => m.Id);
        IConnectionListenerFactory listener = new SocketTransportFactory(Microsoft.Extensions.Options.Options.Create(new SocketTransportOptions { NoDelay = true }), loggerFactory);
        if (credentials is not null)
        {
            listener = new TlsConnectionListenerFactory(listener, credentials, options.RequestTimeout);
        }

        var connections = new PeerConnectionFactory(linkHooks, credentials, peers, loggerFactory);
        var configuration = new RaftCluster.CustomTransportConfiguration(IPEndPoint.Parse(self.RaftAddress), listener, connections)
        {
            LowerElectionTimeout = (int)options.ElectionTimeoutLower.TotalMilliseconds,
            UpperElectionTimeout = (int)options.ElectionTimeoutUpper.TotalMilliseconds,
            HeartbeatThreshold = options.HeartbeatThreshold,
            RequestTimeout = options.RequestTimeout,
            ConnectTimeout = connectTimeout,
            ColdStart = false,
            ConfigurationStorage = null,
            LoggerFactory = loggerFactory,
        };
        return (configuration, connections);
    }
}
