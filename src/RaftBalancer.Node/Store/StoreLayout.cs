namespace RaftBalancer.Node.Store;

/// <summary>The key layout of the state store: which keys the node reads and writes (docs/ARCHITECTURE.md, "Key layout").</summary>
internal static class StoreLayout
{
    public const string BackendsPrefix = "config/backends/";
    public const string Policy = "config/policy";
    public const string HealthPrefix = "health/";
    public const string LoadPrefix = "load/";

    public static string Backend(string backendId) => BackendsPrefix + backendId;

    public static string Health(string backendId, string nodeId) => HealthPrefix + backendId + "/" + nodeId;

    public static string Load(string nodeId) => LoadPrefix + nodeId;
}
