using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RaftBalancer.Core.Balancing;

/// <summary>This node's live count of active requests to one backend.</summary>
/// <remarks>
/// Starts are also counted per start epoch (a ring of eight buckets) so that starts never finished can be
/// reclaimed once older than the leak timeout without touching younger, truly active ones.
/// A finish decrements its epoch's bucket only while that bucket is positive, so no interleaving of start,
/// finish and reclaim drives a bucket or the total below zero. The counters sit on their own cache lines.
/// Created and owned by <see cref="ConnectionTracker"/>.
/// </remarks>
public sealed class ConnectionCounter
{
    internal const int BucketCount = 8;

    private Cells _cells;

    internal ConnectionCounter(string backendId)
    {
        BackendId = backendId;
    }

    /// <summary>The backend this counter belongs to.</summary>
    public string BackendId { get; }

    /// <summary>Requests started on this node and not yet finished or reclaimed.</summary>
    public long Active => Volatile.Read(ref _cells.Active);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Start(long epoch)
    {
        // Total first, bucket second (finish and reclaim take from the bucket first): the total never drops
        // below the sum of the buckets, so a reclaim racing this start cannot make it negative, even briefly.
        Interlocked.Increment(ref _cells.Active);
        Interlocked.Increment(ref _cells.Buckets[(int)(epoch & (BucketCount - 1))]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Finish(long epoch)
    {
        ref var bucket = ref _cells.Buckets[(int)(epoch & (BucketCount - 1))];
        var current = Volatile.Read(ref bucket);
        while (true)
        {
            if (current <= 0)
            {
                // Already reclaimed as a leak: the total no longer holds this start.
                return false;
            }

            var seen = Interlocked.CompareExchange(ref bucket, current - 1, current);
            if (seen == current)
            {
                break;
            }

            current = seen;
        }

        Interlocked.Decrement(ref _cells.Active);
        return true;
    }

    internal long ReclaimBucket(int index)
    {
        var leaked = Interlocked.Exchange(ref _cells.Buckets[index], 0);
        if (leaked > 0)
        {
            Interlocked.Add(ref _cells.Active, -leaked);
        }

        return leaked;
    }

    // Offsets keep the hot fields off lines shared with neighbouring objects (false sharing).
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Cells
    {
        [FieldOffset(64)]
        public long Active;

        [FieldOffset(128)]
        public EpochBuckets Buckets;
    }

    [InlineArray(BucketCount)]
    private struct EpochBuckets
    {
        private long _element;
    }
}
