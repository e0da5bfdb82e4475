namespace RaftBalancer.Chaos.Faults;

/// <summary>What a node started with <see cref="ChaosFaults"/> does to its outbound Raft and write-forwarding traffic towards one peer.</summary>
public enum LinkMode
{
    /// <summary>Traffic flows normally.</summary>
    Ok = 0,

    /// <summary>A black hole: new connections hang until their connect timeout, sends on open connections stall until healed or timed out.</summary>
    Drop = 1,

    /// <summary>New connections are refused at once and open ones are aborted.</summary>
    Refuse = 2,

    /// <summary>Every send (each flushed Raft message, each forwarded write) waits <see cref="LinkFault.DelayMs"/> first.</summary>
    Delay = 3,
}
