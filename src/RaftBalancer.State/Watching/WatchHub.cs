using System.Collections.Immutable;
using System.Threading.Channels;

namespace RaftBalancer.State.Watching;

/// <summary>Fans applied changes out to prefix watchers without ever blocking the writer.</summary>
/// <remarks>
/// The subscriber list is an immutable array swapped atomically, so <see cref="Publish"/> takes no lock.
/// Callers make "capture the existing entries + subscribe" atomic with respect to "apply + publish" by
/// doing both under one lock of their own (see the stores). A subscriber whose bounded channel is full
/// is completed with <see cref="WatchOverflowException"/> and removed.
/// </remarks>
internal sealed class WatchHub
{
    internal const int DefaultCapacity = 4096;

    private ImmutableArray<Subscriber> _subscribers = [];

    public int Count => _subscribers.Length;

    public StateWatch Subscribe(string prefix, IReadOnlyList<StateEntry> existing, int capacity, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<StateEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var watch = new StateWatch(prefix, existing, capacity, channel.Reader, w => Remove(w, null), cancellationToken);
        var subscriber = new Subscriber(prefix, channel.Writer, watch);
        ImmutableInterlocked.Update(ref _subscribers, static (list, s) => list.Add(s), subscriber);
        if (cancellationToken.IsCancellationRequested)
        {
            watch.Dispose();
        }

        return watch;
    }

    public void Publish(StateEvent change)
    {
        foreach (var subscriber in _subscribers)
        {
            if (!change.Key.StartsWith(subscriber.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!subscriber.Writer.TryWrite(change))
            {
                Remove(subscriber.Watch, new WatchOverflowException(
                    $"Watch on prefix '{subscriber.Prefix}' fell more than {subscriber.Watch.Capacity} events behind and was dropped; list the prefix again and start a new watch."));
            }
        }
    }

    public void CompleteAll(Exception? error)
    {
        var all = ImmutableInterlocked.InterlockedExchange(ref _subscribers, []);
        foreach (var subscriber in all)
        {
            subscriber.Writer.TryComplete(error);
        }
    }

    private void Remove(StateWatch watch, Exception? error)
    {
        Subscriber? removed = null;
        ImmutableInterlocked.Update(ref _subscribers, list =>
        {
            foreach (var s in list)
            {
                if (ReferenceEquals(s.Watch, watch))
                {
                    removed = s;
                    return list.Remove(s);
                }
            }

            removed = null;
            return list;
        });
        removed?.Writer.TryComplete(error);
    }

    private sealed record Subscriber(string Prefix, ChannelWriter<StateEvent> Writer, StateWatch Watch);
}
