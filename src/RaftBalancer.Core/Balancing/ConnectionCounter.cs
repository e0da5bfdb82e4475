using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RaftBalancer.Core.Balancing;

/// <summary>This node's live count of active requests to one backend.</summary>
/// <remarks>
/// Starts are counted per start epoch (a ring of eight buckets) so that starts never finished can be reclaimed
/// once older than the leak timeout without touching younger, truly active ones. There is no separate total:
/// <see cref="Active"/> is the sum of the buckets. A finish decrements its epoch's bucket only while that bucket is
/// positive and a reclaim zeroes a bucket, so no interleaving of start, finish and reclaim drives a bucket, or the
/// sum, below zero. A request therefore costs one interlocked operation to start and one to finish, both on the one
/// 64-byte cache line that holds all eight buckets; a pick reads that same line. The line is aligned inside an array
/// on the pinned object heap (which never moves it), with padding on both sides against false sharing.
/// Created and owned by <see cref="ConnectionTracker"/>.
/// </remarks>
public sealed class ConnectionCounter
{
    internal const int BucketCount = 8;

    private const int CacheLine = 64;

    // 32 longs = 256 bytes: a 64-byte-aligned run of eight longs starting at least one line in always fits.
    private const int CellLongs = 32;

    private readonly long[] _cells;
    private readonly int _first;

    internal ConnectionCounter(string backendId)
    {
        BackendId = backendId;
        _cells = GC.AllocateArray<long>(CellLongs, pinned: true);
        var address = (long)Marshal.UnsafeAddrOfPinnedArrayElement(_cells, 0);
        var aligned = (address + (2 * CacheLine) - 1) & ~(long)(CacheLine - 1);
        _first = (int)((aligned - address) / sizeof(long));
    }

    /// <summary>The backend this counter belongs to.</summary>
    public string BackendId { get; }

    /// <summary>Requests started on this node and not yet finished or reclaimed.</summary>
    public long Active
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            ref var b = ref Bucket(0);
            return Volatile.Read(ref b) + Volatile.Read(ref Unsafe.Add(ref b, 1))
                + Volatile.Read(ref Unsafe.Add(ref b, 2)) + Volatile.Read(ref Unsafe.Add(ref b, 3))
                + Volatile.Read(ref Unsafe.Add(ref b, 4)) + Volatile.Read(ref Unsafe.Add(ref b, 5))
                + Volatile.Read(ref Unsafe.Add(ref b, 6)) + Volatile.Read(ref Unsafe.Add(ref b, 7));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Start(long epoch) => Interlocked.Increment(ref Bucket((int)(epoch & (BucketCount - 1))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Finish(long epoch)
    {
        ref var bucket = ref Bucket((int)(epoch & (BucketCount - 1)));
        var current = Volatile.Read(ref bucket);
        while (true)
        {
            if (current <= 0)
            {
                // Already reclaimed as a leak: the count no longer holds this start.
                return false;
            }

            var seen = Interlocked.CompareExchange(ref bucket, current - 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }
    }

    internal long ReclaimBucket(int index) => Interlocked.Exchange(ref Bucket(index), 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref long Bucket(int index) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_cells), _first + index);
}
