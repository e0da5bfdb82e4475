using System.Text.Json;
using System.Text.Json.Serialization;

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

/// <summary>One cluster member as this node sees it.</summary>
internal sealed record DashboardMember(string Id, string Role, bool Available, long? Term, long? CommitIndex, long? AppliedIndex, double? LastContactSeconds, bool Stale);

/// <summary>One backend: configuration, every node's health opinion, this node's verdict and counts.</summary>
internal sealed record DashboardBackend(
    string Id,
    string Url,
    int Weight,
    bool Draining,
    bool Routable,
    string Reason,
    IReadOnlyDictionary<string, string> Opinions,
    string Breaker,
    long LocalActive,
    long ClusterActive,
    double RequestsPerSecond,
    IReadOnlyList<double> History);

/// <summary>A recent event: a leader change or a verdict change.</summary>
internal sealed record DashboardEvent(DateTimeOffset Time, string Kind, string Text);

[JsonSerializable(typeof(DashboardModel))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
