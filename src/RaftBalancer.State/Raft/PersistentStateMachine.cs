using System.Buffers;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using RaftBalancer.State.Machine;
using RaftBalancer.State.Watching;

namespace RaftBalancer.State.Raft;

/// <summary>Adapts the deterministic <see cref="KeyValueStateMachine"/> to DotNext's WAL with periodic snapshots.</summary>
/// <remarks>
/// The WAL calls <see cref="ApplyAsync"/> for committed entries one at a time, in log order. Applying
/// decodes the framed protobuf entry (a bad entry stops the node with <see cref="StateStoreCorruptException"/>
/// rather than being skipped, so replicas never diverge), applies it, and publishes the change to
/// watchers under <see cref="Gate"/>. A snapshot installed from the leader is diffed against the current
/// state and published as the sets and deletes it implies, so watchers stay consistent; once the WAL is attached
/// (<see cref="UseFlushPositionFix"/>), restoring it also moves the WAL flusher past the snapshot (see <see cref="WalFlushPositionFix"/>).
/// </remarks>
internal sealed class PersistentStateMachine(DirectoryInfo location, int snapshotInterval, WatchHub watchers) : SimpleStateMachine(location)
{
    private readonly KeyValueStateMachine _machine = new();
    private long _lastSnapshotIndex;
    private MachineState? _toPersist;
    private long _lastAppliedIndex;
    private WalFlushPositionFix? _flushPositionFix;

    public Lock Gate { get; } = new();

    public MachineState Current => _machine.Current;

    /// <summary>Gets the entries that carry an expiry (see <see cref="KeyValueStateMachine.Expiring"/>).</summary>
    public System.Collections.Immutable.ImmutableDictionary<string, StoredValue> Expiring => _machine.Expiring;

    public long LastAppliedIndex => Volatile.Read(ref _lastAppliedIndex);

    public long LastSnapshotIndex => Volatile.Read(ref _lastSnapshotIndex);

    /// <summary>Gets how many snapshot installs moved the WAL flusher's position (see <see cref="WalFlushPositionFix"/>).</summary>
    public long FlushPositionAdvances => _flushPositionFix?.Advances ?? 0;

    /// <summary>Applies <paramref name="fix"/> on every snapshot installed from now on.</summary>
    /// <remarks>Call once the WAL exists: from then on <see cref="RestoreAsync(FileInfo, CancellationToken)"/> runs only inside a snapshot install.</remarks>
    /// <param name="fix">The fix bound to this machine's WAL.</param>
    public void UseFlushPositionFix(WalFlushPositionFix fix) => _flushPositionFix = fix;

    protected override ValueTask<bool> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        Volatile.Write(ref _lastAppliedIndex, entry.Index);
        if (entry.IsConfiguration || !entry.TryGetPayload(out var payload) || payload.IsEmpty)
        {
            return ValueTask.FromResult(false);
        }

        Contracts.V1.StateLogEntry command;
        try
        {
            command = StateCodec.DecodeEntry(payload);
        }
        catch (StateFormatException e)
        {
            throw new StateStoreCorruptException($"Committed log entry {entry.Index} (term {entry.Term}) cannot be applied: {e.Message}", e);
        }

        ApplyResult result;
        lock (Gate)
        {
            result = _machine.Apply(command);
            if (result.Change is { } change)
            {
                watchers.Publish(change);
            }
        }

        if (entry.Context is ProposalContext context)
        {
            context.Existed = result.Existed;
            context.Index = entry.Index;
        }

        if (entry.Index - _lastSnapshotIndex >= snapshotInterval)
        {
            _toPersist = _machine.Current;
            Volatile.Write(ref _lastSnapshotIndex, entry.Index);
            return ValueTask.FromResult(true);
        }

        return ValueTask.FromResult(false);
    }

    protected override ValueTask PersistAsync(IAsyncBinaryWriter writer, CancellationToken token)
    {
        var state = _toPersist ?? _machine.Current;
        var bytes = StateCodec.EncodeSnapshot(KeyValueStateMachine.ToSnapshot(state));
        return writer.Invoke(bytes, token);
    }

    protected override async ValueTask RestoreAsync(FileInfo snapshotFile, CancellationToken token)
    {
        var bytes = await File.ReadAllBytesAsync(snapshotFile.FullName, token);
        Contracts.V1.StateSnapshot snapshot;
        try
        {
            snapshot = StateCodec.DecodeSnapshot(bytes);
        }
        catch (StateFormatException e)
        {
            throw new StateStoreCorruptException(
                $"Snapshot file '{snapshotFile.FullName}' ({bytes.Length} bytes) is corrupt at offset {CorruptOffset(bytes)}: {e.Message} Restore the data directory from a healthy member or remove it to resync from the cluster.",
                e);
        }

        lock (Gate)
        {
            var before = _machine.Current;
            _machine.Restore(snapshot);
            PublishDiff(before, _machine.Current);
        }

        if (long.TryParse(snapshotFile.Name.Split('-')[0], System.Globalization.CultureInfo.InvariantCulture, out var index))
        {
            Volatile.Write(ref _lastSnapshotIndex, index);
            Volatile.Write(ref _lastAppliedIndex, Math.Max(_lastAppliedIndex, index));

            // Last, once the state is restored: DotNext completes the install only if this method returns.
            _flushPositionFix?.OnSnapshotInstalling(index);
        }
    }

    private static long CorruptOffset(byte[] bytes)
        => StateCodec.TryReadFrameLength(bytes, out var total) && total > bytes.Length ? bytes.Length
            : bytes.Length < StateCodec.HeaderSize ? bytes.Length : 0;

    private void PublishDiff(MachineState before, MachineState after)
    {
        if (watchers.Count == 0)
        {
            return;
        }

        foreach (var (key, value) in after.Entries)
        {
            if (!before.Entries.TryGetValue(key, out var old) || old.Revision != value.Revision)
            {
                watchers.Publish(new StateEvent(StateEventKind.Set, key, value.Value, value.Revision,
                    DateTimeOffset.FromUnixTimeMilliseconds(value.TimestampUnixMs), value.OriginNodeId));
            }
        }

        foreach (var (key, old) in before.Entries)
        {
            if (!after.Entries.ContainsKey(key))
            {
                watchers.Publish(new StateEvent(StateEventKind.Delete, key, ReadOnlyMemory<byte>.Empty, after.Revision,
                    DateTimeOffset.FromUnixTimeMilliseconds(old.TimestampUnixMs), old.OriginNodeId));
            }
        }
    }
}
