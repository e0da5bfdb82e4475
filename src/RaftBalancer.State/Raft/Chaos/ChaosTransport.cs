using System.Collections.Frozen;
using System.Net;
using DotNext.Net.Cluster.Consensus.Raft;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RaftBalancer.State.Raft.Chaos;

/// <summary>Builds the Raft transport of a chaos-enabled node: DotNext's custom transport over Kestrel sockets with a faulting client side.</summary>
internal static class ChaosTransport
{
    public static RaftCluster.CustomTransportConfiguration Configure(
        RaftStoreOptions options,
        RaftMemberOptions self,
        ChaosFaults chaos,
        TimeSpan connectTimeout,
        ILoggerFactory loggerFactory)
    {
        var peers = options.Members.ToFrozenDictionary(m => (EndPoint)IPEndPoint.Parse(m.RaftAddress), m => m.Id);
        var listener = new SocketTransportFactory(Microsoft.Extensions.Options.Options.Create(new SocketTransportOptions { NoDelay = true }), loggerFactory);
        var client = new ChaosConnectionFactory(chaos, peers, loggerFactory);
        return new RaftCluster.CustomTransportConfiguration(IPEndPoint.Parse(self.RaftAddress), listener, client)
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
    }
}
