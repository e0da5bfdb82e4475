namespace RaftBalancer.State;

/// <summary>What happened to a key.</summary>
public enum StateEventKind
{
    /// <summary>The key was created or replaced.</summary>
    Set = 0,

    /// <summary>The key was deleted, or expired.</summary>
    Delete = 1,
}
