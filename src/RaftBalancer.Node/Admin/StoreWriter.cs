using RaftBalancer.Node.Diagnostics;
using RaftBalancer.Node.Store;
using RaftBalancer.State;
using RaftBalancer.State.Local;
using RaftBalancer.State.Raft;

namespace RaftBalancer.Node.Admin;

/// <summary>Writes admin changes to the state store and reports where they landed (log index, store revision).</summary>
/// <remarks>On the Raft store the log index is the committed entry's; other stores have no log and report 0.</remarks>
internal sealed class StoreWriter
{
    private readonly IStateStore _store;
    private readonly NodeTelemetry? _telemetry;

    public StoreWriter(IStateStore store, NodeTelemetry? telemetry = null)
    {
        _store = store;
        _telemetry = telemetry;
    }

    public IStateStore Store => _store;

    /// <summary>Sets a key once committed and applied on this node.</summary>
    /// <returns>The log index and the key's revision (its latest write at or after this one).</returns>
    public async Task<(long LogIndex, long Revision)> SetAsync(string key, byte[] value, CancellationToken cancellationToken)
    {
        long index = 0;
        using var write = _telemetry?.StartStateWrite("config", key);
        if (_store is RaftStateStore raft)
        {
            index = await raft.SetWithIndexAsync(key, value, ttl: null, cancellationToken);
        }
        else
        {
            await _store.SetAsync(key, value, ttl: null, cancellationToken);
        }

        write?.Complete();

        var entry = await _store.GetAsync(key, ReadConsistency.Local, cancellationToken);
        return (index, entry?.Revision ?? CurrentRevision());
    }

    /// <summary>Deletes a key once committed and applied on this node.</summary>
    /// <returns>The log index and the store's revision right after the delete was applied here.</returns>
    public async Task<(long LogIndex, long Revision)> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        long index = 0;
        using var write = _telemetry?.StartStateWrite("config", key);
        if (_store is RaftStateStore raft)
        {
            index = (await raft.DeleteWithIndexAsync(key, cancellationToken)).Index;
        }
        else
        {
            await _store.DeleteAsync(key, cancellationToken);
        }

        write?.Complete();

        return (index, CurrentRevision());
    }

    private long CurrentRevision() => _store switch
    {
        RaftStateStore raft => raft.Revision,
        LocalStateStore local => local.Revision,
        _ => 0,
    };
}
