namespace RaftBalancer.Chaos.Harness;

/// <summary>One poll of a node's <c>/-/chaos/raft</c>.</summary>
internal sealed record RaftSample(string NodeId, long Term, bool IsLeader, string? LeaderId, long CommitIndex, long Revision, Dictionary<string, string>? Links, long WorkingSetBytes, long ManagedBytes);

/// <summary>One backend in a node's routing status.</summary>
internal sealed record BackendSample(string Id, string Url, int Weight, bool Routable, string LocalHealth);

/// <summary>One poll of a node's <c>/-/status</c>.</summary>
internal sealed record RoutingSample(string NodeId, bool Stale, long ViewVersion, string Policy, IReadOnlyList<BackendSample> Backends)
{
    /// <summary>Gets a hash of what the node routes to (policy, routable backends with URL and weight), equal on nodes that route alike.</summary>
    public string ContentHash => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
        Policy + "|" + string.Join(";", Backends.Where(b => b.Routable).OrderBy(b => b.Id, StringComparer.Ordinal).Select(b => b.Id + "=" + b.Url + "@" + b.Weight)))))[..16];

    /// <summary>Gets a hash of the configured backends (ids, URLs, weights), equal on nodes with the same replicated configuration.</summary>
    public string ConfigHash => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
        Policy + "|" + string.Join(";", Backends.OrderBy(b => b.Id, StringComparer.Ordinal).Select(b => b.Id + "=" + b.Url + "@" + b.Weight)))))[..16];
}

/// <summary>One key from <c>/-/chaos/kv</c>.</summary>
internal sealed record KvEntry(string Key, string Value, long Revision);
