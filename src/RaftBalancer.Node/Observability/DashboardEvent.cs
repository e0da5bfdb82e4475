namespace RaftBalancer.Node.Observability;

/// <summary>A recent event: a leader change or a verdict change.</summary>
internal sealed record DashboardEvent(DateTimeOffset Time, string Kind, string Text);
