namespace RaftBalancer.Node.Options;

/// <summary>One member of the cluster as every node's configuration lists it.</summary>
public sealed class MemberOptions
{
    /// <summary>The member's node id.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The member's proxy URL (informational: printed by tools).</summary>
    public string ProxyUrl { get; set; } = string.Empty;

    /// <summary>The member's admin URL.</summary>
    public string AdminUrl { get; set; } = string.Empty;

    /// <summary>The member's Raft URL.</summary>
    public string RaftUrl { get; set; } = string.Empty;

    /// <summary>The member's write-forwarding URL (followers send writes to the leader there); empty means the Raft port + 200.</summary>
    public string ForwardUrl { get; set; } = string.Empty;
}
