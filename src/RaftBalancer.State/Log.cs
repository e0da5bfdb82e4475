using Microsoft.Extensions.Logging;

namespace RaftBalancer.State;

/// <summary>Source-generated log messages of the state stores (EventIds 2000–2999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Raft node {NodeId} starting: raft {RaftAddress}, forward {ForwardAddress}, data {DataDirectory}")]
    public static partial void RaftStarting(ILogger logger, string nodeId, string raftAddress, string forwardAddress, string dataDirectory);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Raft node {NodeId} recovered: snapshot index {SnapshotIndex}, commit index {CommitIndex}, revision {Revision}")]
    public static partial void RaftRecovered(ILogger logger, string nodeId, long snapshotIndex, long commitIndex, long revision);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Raft node {NodeId} sees leader {LeaderId} in term {Term}")]
    public static partial void LeaderChanged(ILogger logger, string nodeId, string leaderId, long term);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Raft node {NodeId} sees no leader (term {Term})")]
    public static partial void NoLeader(ILogger logger, string nodeId, long term);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Write on {NodeId} retried: {Reason}")]
    public static partial void WriteRetry(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Expiry of key {Key} could not be proposed")]
    public static partial void ExpiryFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Critical, Message = "Raft node {NodeId} refuses to start: {Reason}")]
    public static partial void StartRefused(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Raft node {NodeId} stopped")]
    public static partial void RaftStopped(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Forwarded write from a follower failed on {NodeId}")]
    public static partial void ForwardHandlerFailed(ILogger logger, string nodeId, Exception exception);
}
