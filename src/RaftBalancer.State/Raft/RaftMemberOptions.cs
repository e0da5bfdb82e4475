namespace RaftBalancer.State.Raft;

/// <summary>One member of the static Raft membership.</summary>
public sealed class RaftMemberOptions
{
    /// <summary>Gets or sets the member's node id (unique, non-empty).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets or sets the Raft (TCP) address as <c>ip:port</c>, e.g. <c>127.0.0.1:7001</c>.</summary>
    public string RaftAddress { get; set; } = string.Empty;

    /// <summary>Gets or sets the address of the write-forwarding endpoint (HTTP) as <c>ip:port</c>.</summary>
    public string ForwardAddress { get; set; } = string.Empty;
}
