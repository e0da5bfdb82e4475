namespace RaftBalancer.State;

/// <summary>
/// A small replicated key-value store: the one place where nodes share backends, health opinions and load.
/// </summary>
/// <remarks>
/// <para>
/// Keys are non-empty UTF-8 strings of at most <see cref="KeyValueRules.MaxKeyBytes"/> bytes without control
/// characters; values are opaque bytes of at most <see cref="KeyValueRules.MaxValueBytes"/>. Violations throw
/// <see cref="ArgumentException"/> naming the limit, before anything is written.
/// </para>
/// <para>
/// Writes return once the change is durable in the store (for Raft: committed by a majority and applied
/// on the node that accepted the proposal). Expiry of a key with a TTL is decided once by the store and
/// reported to every watcher as one <see cref="StateEventKind.Delete"/>; a key past its expiry whose delete
/// has not arrived yet reads as absent.
/// </para>
/// <para>All members are safe to call concurrently.</para>
/// </remarks>
public interface IStateStore : IAsyncDisposable
{
    /// <summary>Gets the id of the node this store instance speaks for; it is stamped on the events it causes.</summary>
    string NodeId { get; }

    /// <summary>Reads one key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="consistency">Local (fast, maybe stale on a follower) or linearizable (sees every write acknowledged before the call).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or <see langword="null"/> if the key is absent or expired.</returns>
    ValueTask<StateEntry?> GetAsync(string key, ReadConsistency consistency = ReadConsistency.Local, CancellationToken cancellationToken = default);

    /// <summary>Reads every live key that starts with <paramref name="prefix"/>, ordered by key.</summary>
    /// <param name="prefix">The prefix; empty lists everything.</param>
    /// <param name="consistency">See <see cref="GetAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The matching entries.</returns>
    ValueTask<IReadOnlyList<StateEntry>> ListAsync(string prefix, ReadConsistency consistency = ReadConsistency.Local, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value; copied before the call returns.</param>
    /// <param name="ttl">Time to live from now; <see langword="null"/> for a key that never expires.</param>
    /// <param name="cancellationToken">Cancels waiting; the write may still be applied.</param>
    /// <returns>A task that completes once the write is committed.</returns>
    /// <exception cref="ArgumentException">The key or value breaks the rules.</exception>
    /// <exception cref="StateStoreUnavailableException">The store cannot commit now (no quorum, closed).</exception>
    ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels waiting; the delete may still be applied.</param>
    /// <returns><see langword="true"/> if the key existed.</returns>
    /// <exception cref="StateStoreUnavailableException">The store cannot commit now (no quorum, closed).</exception>
    ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Watches every change to keys starting with <paramref name="prefix"/>.</summary>
    /// <remarks>
    /// The subscription is registered before this method returns: <see cref="StateWatch.Existing"/> holds the
    /// matching entries at that instant and the watch yields every later change, none missed, none twice.
    /// Each watcher has a bounded buffer; a watcher that falls more than <see cref="StateWatch.Capacity"/>
    /// events behind is ended with <see cref="WatchOverflowException"/> (list again and re-watch) so that
    /// a slow reader never blocks writers or grows memory without bound.
    /// </remarks>
    /// <param name="prefix">The prefix; empty watches everything.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>The watch; dispose it (or cancel the token) to stop.</returns>
    StateWatch Watch(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Stops the store: pending writes fail, watches end, resources are released. Idempotent.</summary>
    /// <param name="cancellationToken">Cancels a graceful shutdown; the store is released regardless.</param>
    /// <returns>A task that completes when the store is closed.</returns>
    ValueTask CloseAsync(CancellationToken cancellationToken = default);
}
