namespace RaftBalancer.Node;

/// <summary>The admin API's log messages (EventIds 3400–3499).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3400, Level = LogLevel.Information, Message = "Admin {Operation} {Target} committed at log index {LogIndex}, revision {Revision}, in view {ViewVersion}")]
    public static partial void AdminCommitted(ILogger logger, string operation, string target, long logIndex, long revision, long viewVersion);

    [LoggerMessage(EventId = 3401, Level = LogLevel.Warning, Message = "Admin call {Method} from {Peer} refused: {Code}")]
    public static partial void AdminRefused(ILogger logger, string method, string peer, string code);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Warning, Message = "Admin {Operation} could not reach the cluster: {Error}")]
    public static partial void AdminUnavailable(ILogger logger, string operation, string error);
}
