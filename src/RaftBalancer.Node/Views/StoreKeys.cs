namespace RaftBalancer.Node.Views;

/// <summary>The state-store keys the node reads and writes (DESIGN.md, "Keys").</summary>
internal static class StoreKeys
{
    public const string BackendsPrefix = "config/backends/";
    public const string Policy = "config/policy";
    public const string HealthPrefix = "health/";
    public const string LoadPrefix = "load/";

    public static string Backend(string backendId) => BackendsPrefix + backendId;

    public static string Health(string backendId, string nodeId) => HealthPrefix + backendId + "/" + nodeId;

    public static string Load(string nodeId) => LoadPrefix + nodeId;
}
