namespace RaftBalancer.Node.Observability;

/// <summary>What the dashboard shows, as <c>GET /-/dashboard.json</c> on the ops listener returns it.</summary>
internal sealed record DashboardModel(
    string NodeId,
    DateTimeOffset Time,
    string? LeaderId,
    long Term,
    long ViewVersion,
    string Policy,
    IReadOnlyList<DashboardMember> Members,
    IReadOnlyList<DashboardBackend> Backends,
    IReadOnlyList<DashboardEvent> Events);
