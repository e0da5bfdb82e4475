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

    [LoggerMessage(EventId = 3403, Level = LogLevel.Warning, Message = "Could not reload the admin token file {Path}; keeping the tokens loaded before: {Reason}")]
    public static partial void AdminTokensReloadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3404, Level = LogLevel.Information, Message = "Reloaded the admin token file {Path}: {Count} tokens")]
    public static partial void AdminTokensReloaded(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 3405, Level = LogLevel.Warning, Message = "Could not reload the admin/ops TLS certificate {CertificateFile}; keeping the previous one: {Reason}")]
    public static partial void AdminTlsReloadFailed(ILogger logger, string certificateFile, string reason);

    [LoggerMessage(EventId = 3406, Level = LogLevel.Information, Message = "Reloaded the admin/ops TLS certificate {CertificateFile}")]
    public static partial void AdminTlsReloaded(ILogger logger, string certificateFile);
}
