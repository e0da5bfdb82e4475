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

    [LoggerMessage(EventId = 2050, Level = LogLevel.Information, Message = "Redis store of node {NodeId} connecting to {Address} (key prefix {KeyPrefix})")]
    public static partial void RedisConnecting(ILogger logger, string nodeId, string address, string keyPrefix);

    [LoggerMessage(EventId = 2051, Level = LogLevel.Warning, Message = "Redis at {Address} not reachable (attempt {Attempt}): {Reason}")]
    public static partial void RedisConnectRetry(ILogger logger, string address, int attempt, string reason);

    [LoggerMessage(EventId = 2052, Level = LogLevel.Information, Message = "Redis store of node {NodeId} ready on {Address}: revision {Revision}, {Keys} keys")]
    public static partial void RedisReady(ILogger logger, string nodeId, string address, long revision, int keys);

    [LoggerMessage(EventId = 2053, Level = LogLevel.Warning, Message = "Redis connection to {Address} lost ({ConnectionType}, {FailureType}); writes fail until it is back, reads serve the last known state")]
    public static partial void RedisConnectionLost(ILogger logger, string address, string connectionType, string failureType, Exception? exception);

    [LoggerMessage(EventId = 2054, Level = LogLevel.Information, Message = "Redis at {Address} re-read after reconnect: revision {Revision}, {Sets} sets and {Deletes} deletes published to catch watchers up")]
    public static partial void RedisResynced(ILogger logger, string address, long revision, int sets, int deletes);

    [LoggerMessage(EventId = 2055, Level = LogLevel.Warning, Message = "Re-reading Redis at {Address} failed; retrying: {Reason}")]
    public static partial void RedisResyncFailed(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 2056, Level = LogLevel.Warning, Message = "Ignored a value under our Redis prefix that does not decode ({Source}, key {Key}): {Reason}")]
    public static partial void RedisForeignValueIgnored(ILogger logger, string source, string key, string reason);

    [LoggerMessage(EventId = 2057, Level = LogLevel.Information, Message = "Redis at {Address}: notify-keyspace-events changed from '{Before}' to '{After}' so that key expiries reach watchers")]
    public static partial void RedisNotificationsEnabled(ILogger logger, string address, string before, string after);

    [LoggerMessage(EventId = 2058, Level = LogLevel.Debug, Message = "Expiry check of key {Key} failed; the next re-read settles it")]
    public static partial void RedisExpiryCheckFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 2059, Level = LogLevel.Information, Message = "Redis store of node {NodeId} stopped")]
    public static partial void RedisStopped(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 2060, Level = LogLevel.Information, Message = "Raft node {NodeId} knows no leader and member {MemberId} ({Status}) may be hung: aborting its Raft connections in alternate election windows so a live majority can elect")]
    public static partial void ElectionGuardActs(ILogger logger, string nodeId, string memberId, DotNext.Net.Cluster.ClusterMemberStatus status);

    [LoggerMessage(EventId = 2061, Level = LogLevel.Debug, Message = "Raft node {NodeId} election guard skipped a check: {Reason}")]
    public static partial void ElectionGuardSkipped(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 2070, Level = LogLevel.Critical, Message = "Raft node {NodeId} stopped serving: its write-ahead log is damaged ({Reason}); its Raft member is stopped and every read and write is refused until it has reopened the log and rejoined")]
    public static partial void LogDamaged(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 2071, Level = LogLevel.Warning, Message = "Raft node {NodeId} could not stop its Raft member after the log fault: {Reason}")]
    public static partial void LogDamagedStopFailed(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 2072, Level = LogLevel.Warning, Message = "Raft node {NodeId} reopened its write-ahead log and rejoined the cluster after a log fault (attempt {Attempt}, commit index {CommitIndex})")]
    public static partial void LogRecovered(ILogger logger, string nodeId, int attempt, long commitIndex);

    [LoggerMessage(EventId = 2073, Level = LogLevel.Error, Message = "Raft node {NodeId} could not reopen its write-ahead log after a log fault (attempt {Attempt}): {Reason}; retrying")]
    public static partial void LogRecoveryFailed(ILogger logger, string nodeId, int attempt, string reason);

    [LoggerMessage(EventId = 2074, Level = LogLevel.Information, Message = "Raft node {NodeId}: WAL flush-position fix active (DotNext.Net.Cluster {DotNextVersion}); snapshot installs move the WAL flusher past the snapshot")]
    public static partial void WalFlushFixActive(ILogger logger, string nodeId, string dotNextVersion);

    [LoggerMessage(EventId = 2075, Level = LogLevel.Warning, Message = "Raft node {NodeId}: WAL flush-position fix NOT applied, DotNext.Net.Cluster {DotNextVersion} does not have what it needs ({Reason}); a snapshot install can again kill the WAL flusher (docs/dotnext-wal-flush-race.md), and the node relies on fencing and recovering from the log fault. Re-check the fix against this DotNext version")]
    public static partial void WalFlushFixUnavailable(ILogger logger, string nodeId, string dotNextVersion, string reason);

    [LoggerMessage(EventId = 2080, Level = LogLevel.Warning, Message = "Raft node {NodeId} refused a peer connection from {Remote}: {Reason}")]
    public static partial void PeerRefused(ILogger logger, string nodeId, string remote, string reason);

    [LoggerMessage(EventId = 2081, Level = LogLevel.Information, Message = "Raft node {NodeId} reloaded its peer TLS material ({CertificateFile})")]
    public static partial void PeerTlsReloaded(ILogger logger, string nodeId, string certificateFile);

    [LoggerMessage(EventId = 2082, Level = LogLevel.Warning, Message = "Raft node {NodeId} could not reload its peer TLS material; keeping the previous one: {Reason}")]
    public static partial void PeerTlsReloadFailed(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 2083, Level = LogLevel.Information, Message = "Raft node {NodeId}: Raft and write forwarding use mutual TLS 1.3 (certificate {CertificateFile}, cluster CA {CaFile})")]
    public static partial void PeerTlsOn(ILogger logger, string nodeId, string certificateFile, string caFile);

    [LoggerMessage(EventId = 2084, Level = LogLevel.Warning, Message = "Raft node {NodeId}: Raft and write forwarding are PLAINTEXT (no State:Raft:Tls / Cluster certificate configured); anyone who reaches these ports can join or write")]
    public static partial void PeerTlsOff(ILogger logger, string nodeId);
}
