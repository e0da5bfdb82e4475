namespace RaftBalancer.Chaos.Node;

/// <summary>One key as the chaos KV endpoints show it.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The value as UTF-8 text.</param>
/// <param name="Revision">The store revision of its last write.</param>
internal sealed record ChaosKvEntry(string Key, string Value, long Revision);
