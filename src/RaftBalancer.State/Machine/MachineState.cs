using System.Collections.Immutable;

namespace RaftBalancer.State.Machine;

/// <summary>An immutable snapshot of the whole key space at one revision.</summary>
internal sealed record MachineState(ImmutableDictionary<string, StoredValue> Entries, long Revision)
{
    public static readonly MachineState Empty = new(ImmutableDictionary.Create<string, StoredValue>(StringComparer.Ordinal), 0);

    public StateEntry? Get(string key, long nowUnixMs)
        => Entries.TryGetValue(key, out var value) && !value.IsExpiredAt(nowUnixMs) ? value.ToEntry(key) : null;

    public IReadOnlyList<StateEntry> List(string prefix, long nowUnixMs)
    {
        var result = new List<StateEntry>();
        foreach (var (key, value) in Entries)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && !value.IsExpiredAt(nowUnixMs))
            {
                result.Add(value.ToEntry(key));
            }
        }

        result.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return result;
    }
}
