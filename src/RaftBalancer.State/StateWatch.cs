using System.Threading.Channels;

namespace RaftBalancer.State;

/// <summary>A live subscription to the changes under one key prefix.</summary>
/// <remarks>
/// Enumerate it once. Enumeration ends when the watch is disposed, its token is cancelled or the store
/// closes; it throws <see cref="WatchOverflowException"/> if this watcher fell more than
/// <see cref="Capacity"/> events behind.
/// </remarks>
public sealed class StateWatch : IAsyncEnumerable<StateEvent>, IDisposable
{
    private readonly ChannelReader<StateEvent> _reader;
    private readonly Action<StateWatch> _unsubscribe;
    private readonly CancellationTokenRegistration _registration;
    private int _disposed;

    internal StateWatch(
        string prefix,
        IReadOnlyList<StateEntry> existing,
        int capacity,
        ChannelReader<StateEvent> reader,
        Action<StateWatch> unsubscribe,
        CancellationToken cancellationToken)
    {
        Prefix = prefix;
        Existing = existing;
        Capacity = capacity;
        _reader = reader;
        _unsubscribe = unsubscribe;
        _registration = cancellationToken.Register(static state => ((StateWatch)state!).Dispose(), this);
    }

    /// <summary>Gets the watched prefix.</summary>
    public string Prefix { get; }

    /// <summary>Gets the live entries under the prefix at the instant the watch was registered.</summary>
    public IReadOnlyList<StateEntry> Existing { get; }

    /// <summary>Gets how many undelivered events this watcher may hold before it is dropped.</summary>
    public int Capacity { get; }

    /// <inheritdoc/>
    public async IAsyncEnumerator<StateEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        while (await _reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_reader.TryRead(out var item))
            {
                yield return item;
            }
        }
    }

    /// <summary>Stops the watch; enumeration ends after the events already buffered.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _registration.Dispose();
            _unsubscribe(this);
        }
    }
}
