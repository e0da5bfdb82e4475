namespace RaftBalancer.Node.Admin;

/// <summary>The node's status as <c>GET /-/status</c> on the admin port shows it.</summary>
/// <param name="NodeId">This node's id.</param>
/// <param name="StateStore">raft or local.</param>
/// <param name="Role">leader, follower, candidate or standalone.</param>
/// <param name="LeaderId">The known leader, or null.</param>
/// <param name="Stale">True when the node has lost contact with the leader and routes with its last view and own probes.</param>
/// <param name="ViewVersion">The routing view's version.</param>
/// <param name="ViewBuiltAt">When the view was built.</param>
/// <param name="Policy">The balancing policy in use.</param>
/// <param name="ActiveRequests">Requests being proxied now.</param>
/// <param name="Retries">Retries sent since start.</param>
/// <param name="RetriesRefused">Retries the budget refused since start.</param>
/// <param name="Backends">Every configured backend with its verdict on this node.</param>
public sealed record NodeStatus(
    string NodeId,
    string StateStore,
    string Role,
    string? LeaderId,
    bool Stale,
    long ViewVersion,
    DateTimeOffset ViewBuiltAt,
    string Policy,
    long ActiveRequests,
    long Retries,
    long RetriesRefused,
    IReadOnlyList<NodeStatusBackend> Backends);
