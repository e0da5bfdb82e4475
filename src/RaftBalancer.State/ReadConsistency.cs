namespace RaftBalancer.State;

/// <summary>How fresh a read must be.</summary>
public enum ReadConsistency
{
    /// <summary>Read this node's applied state: fast, possibly behind the leader.</summary>
    Local = 0,

    /// <summary>Read after every write acknowledged before the call (a Raft read barrier).</summary>
    Linearizable = 1,
}
