using System.Collections.Immutable;
using Google.Protobuf;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.State.Machine;

/// <summary>The deterministic key-value state machine shared by every store.</summary>
/// <remarks>
/// <see cref="Apply"/> is a pure function of the current state and the command: no clock, randomness,
/// I/O or logging — timestamps and expiries travel inside the command. It is called by one writer at a
/// time (the caller serializes); readers use <see cref="Current"/>, an immutable state swapped atomically.
/// The revision grows by one for every applied command, including ones that change nothing, so every
/// replica that applied the same commands has the same revision.
/// <para>
/// <see cref="Expiring"/> indexes the entries that carry an expiry, so an expiry sweeper looks at those only instead
/// of enumerating the whole key space on every tick (on the Raft leader that scan, every 20 ms over every key, cost
/// more CPU than proposing the writes). It is derived from the state, never part of it: snapshots do not carry it.
/// </para>
/// </remarks>
internal sealed class KeyValueStateMachine
{
    private static readonly ImmutableDictionary<string, StoredValue> NoneExpiring = ImmutableDictionary.Create<string, StoredValue>(StringComparer.Ordinal);

    private MachineState _state = MachineState.Empty;
    private ImmutableDictionary<string, StoredValue> _expiring = NoneExpiring;

    public MachineState Current => Volatile.Read(ref _state);

    /// <summary>Gets the entries of <see cref="Current"/> (or of a state applied a moment before or after it) that carry an expiry.</summary>
    /// <remarks>For sweepers: each value holds the revision an expire command must name.</remarks>
    public ImmutableDictionary<string, StoredValue> Expiring => Volatile.Read(ref _expiring);

    public ApplyResult Apply(StateLogEntry entry)
    {
        var state = _state;
        var expiring = _expiring;
        var revision = state.Revision + 1;
        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(entry.TimestampUnixMs);
        ApplyResult result;
        switch (entry.CommandCase)
        {
            case StateLogEntry.CommandOneofCase.Set:
                {
                    var set = entry.Set;
                    var value = set.Value.Memory;
                    var stored = new StoredValue(value, revision, entry.TimestampUnixMs, set.ExpiresAtUnixMs, entry.OriginNodeId);
                    state = new MachineState(state.Entries.SetItem(set.Key, stored), revision);
                    expiring = set.ExpiresAtUnixMs != 0 ? expiring.SetItem(set.Key, stored) : expiring.Remove(set.Key);
                    result = new ApplyResult(new StateEvent(StateEventKind.Set, set.Key, value, revision, timestamp, entry.OriginNodeId), Existed: false);
                    break;
                }

            case StateLogEntry.CommandOneofCase.Delete:
                {
                    var key = entry.Delete.Key;
                    var existed = state.Entries.ContainsKey(key);
                    state = new MachineState(existed ? state.Entries.Remove(key) : state.Entries, revision);
                    expiring = expiring.Remove(key);
                    result = new ApplyResult(
                        existed ? new StateEvent(StateEventKind.Delete, key, ReadOnlyMemory<byte>.Empty, revision, timestamp, entry.OriginNodeId) : null,
                        existed);
                    break;
                }

            case StateLogEntry.CommandOneofCase.Expire:
                {
                    var key = entry.Expire.Key;

                    // Conditional: a key rewritten after the leader decided to expire it keeps its new value.
                    var matches = state.Entries.TryGetValue(key, out var current) && current.Revision == entry.Expire.Revision;
                    state = new MachineState(matches ? state.Entries.Remove(key) : state.Entries, revision);
                    expiring = matches ? expiring.Remove(key) : expiring;
                    result = new ApplyResult(
                        matches ? new StateEvent(StateEventKind.Delete, key, ReadOnlyMemory<byte>.Empty, revision, timestamp, entry.OriginNodeId) : null,
                        matches);
                    break;
                }

            default:
                // The codec rejects entries without a command; keep the revision step so replicas agree anyway.
                state = state with { Revision = revision };
                result = default;
                break;
        }

        Volatile.Write(ref _state, state);
        Volatile.Write(ref _expiring, expiring);
        return result;
    }

    public StateSnapshot ToSnapshot() => ToSnapshot(Current);

    public static StateSnapshot ToSnapshot(MachineState state)
    {
        var snapshot = new StateSnapshot { FormatVersion = StateCodec.CurrentFormatVersion, Revision = state.Revision };

        // Sorted so that equal states produce equal bytes.
        foreach (var (key, value) in state.Entries.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            snapshot.Entries.Add(new StoredEntry
            {
                Key = key,
                Value = UnsafeByteOperations.UnsafeWrap(value.Value),
                Revision = value.Revision,
                ExpiresAtUnixMs = value.ExpiresAtUnixMs,
                TimestampUnixMs = value.TimestampUnixMs,
                OriginNodeId = value.OriginNodeId,
            });
        }

        return snapshot;
    }

    public void Restore(StateSnapshot snapshot)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, StoredValue>(StringComparer.Ordinal);
        var expiring = NoneExpiring.ToBuilder();
        foreach (var e in snapshot.Entries)
        {
            var stored = new StoredValue(e.Value.Memory, e.Revision, e.TimestampUnixMs, e.ExpiresAtUnixMs, e.OriginNodeId);
            builder[e.Key] = stored;
            if (stored.ExpiresAtUnixMs != 0)
            {
                expiring[e.Key] = stored;
            }
        }

        Volatile.Write(ref _state, new MachineState(builder.ToImmutable(), snapshot.Revision));
        Volatile.Write(ref _expiring, expiring.ToImmutable());
    }
}
