namespace RaftBalancer.Node;

/// <summary>The node's source-generated log messages (EventIds 3000–3999).</summary>
internal static partial class Log
{
    // 3000–3099: host
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Node {NodeId} started: proxy {ProxyUrl}, admin {AdminUrl}, store {StateStore}, policy {Policy}")]
    public static partial void NodeStarted(ILogger logger, string nodeId, string proxyUrl, string adminUrl, string stateStore, string policy);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Node {NodeId} stopping")]
    public static partial void NodeStopping(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Seeding the initial configuration failed; will retry: {Error}")]
    public static partial void SeedFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Seeded {Count} initial backends and policy {Policy} into the state store")]
    public static partial void Seeded(ILogger logger, int count, string policy);

    // 3100–3199: proxy
    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "No routable backend for {Method} {Path}: answered 503")]
    public static partial void NoRoutableBackend(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Retrying {Method} {Path} on another backend after {Error} from {BackendId}")]
    public static partial void Retrying(ILogger logger, string method, string path, string error, string backendId);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Forwarding {Method} {Path} to {BackendId} failed with {Error}; not retried ({Why})")]
    public static partial void ForwardFailed(ILogger logger, string method, string path, string backendId, string error, string why);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Circuit breaker for {BackendId} went from {Previous} to {Current}")]
    public static partial void BreakerChanged(ILogger logger, string backendId, string previous, string current);

    // 3200–3299: probing and reporting
    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Backend {BackendId} is {State} by this node's probes ({Reason})")]
    public static partial void HealthChanged(ILogger logger, string backendId, string state, string reason);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Debug, Message = "Writing {Key} failed: {Error}")]
    public static partial void WriteFailed(ILogger logger, string key, string error);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Error, Message = "Prober loop for {BackendId} failed")]
    public static partial void ProberFailed(ILogger logger, string backendId, Exception exception);

    // 3300–3399: views
    [LoggerMessage(EventId = 3300, Level = LogLevel.Information, Message = "Routing view {Version}: {Routable} of {Total} backends routable ({Summary})")]
    public static partial void ViewSwapped(ILogger logger, long version, int routable, int total, string summary);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "State watch ended ({Error}); listing again")]
    public static partial void WatchRestarted(ILogger logger, string error);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "Node {NodeId} is stale: lost contact with the leader; forwarding with the last view and its own probes")]
    public static partial void BecameStale(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Information, Message = "Node {NodeId} is in contact with leader {LeaderId} again")]
    public static partial void NoLongerStale(ILogger logger, string nodeId, string leaderId);

    [LoggerMessage(EventId = 3305, Level = LogLevel.Warning, Message = "Panic routing: no backend is routable; routing to the {Count} backends a majority finds unhealthy")]
    public static partial void PanicRoutingOn(ILogger logger, int count);

    [LoggerMessage(EventId = 3306, Level = LogLevel.Information, Message = "Panic routing ended: a backend is routable again")]
    public static partial void PanicRoutingOff(ILogger logger);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Warning, Message = "Ignoring undecodable value at {Key}")]
    public static partial void BadValue(ILogger logger, string key);
}
