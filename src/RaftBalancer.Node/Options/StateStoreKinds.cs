namespace RaftBalancer.Node.Options;

/// <summary>The names of the state stores a node can use.</summary>
public static class StateStoreKinds
{
    /// <summary>The replicated DotNext Raft store.</summary>
    public const string Raft = "raft";

    /// <summary>A shared Redis server (section <c>State:Redis</c>, at least <c>ConnectionString</c>).</summary>
    public const string Redis = "redis";

    /// <summary>An in-memory store for a single node.</summary>
    public const string Local = "local";

    /// <summary>Tells whether a name is known.</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when known.</returns>
    public static bool IsKnown(string? name) => name is Raft or Redis or Local;
}
