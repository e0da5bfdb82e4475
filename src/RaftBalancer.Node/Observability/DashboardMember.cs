namespace RaftBalancer.Node.Observability;

/// <summary>One cluster member as this node sees it.</summary>
internal sealed record DashboardMember(string Id, string Role, bool Available, long? Term, long? CommitIndex, long? AppliedIndex, double? LastContactSeconds, bool Stale);
