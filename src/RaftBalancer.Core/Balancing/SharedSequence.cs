using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RaftBalancer.Core.Balancing;

/// <summary>
/// One node-wide rotation counter: strict across threads while picks do not overlap, claimed in blocks per thread
/// stripe while they do.
/// </summary>
/// <remarks>
/// <para>
/// A node's successive requests run on whatever thread-pool thread Kestrel hands them, so the rotation must be
/// shared by all threads for sequential requests to follow it (weights 5,1,1 give a,a,b,a,c,a,a through the node).
/// While picks do not overlap in time, each pick takes the next position of the one shared counter with a plain
/// read and write (no lock prefix), and the order is strict node-wide.
/// </para>
/// <para>
/// Overlapping picks on several cores would pass the counter's cache line back and forth on every pick, making
/// parallel throughput lower than one thread's. So a pick checks whether its own last write to the counter was
/// overwritten by a value not above it, which only happens when another pick read the counter before that write
/// and wrote after it: the two picks overlapped. A stripe that sees this claims <see cref="BlockSize"/> consecutive
/// positions with one interlocked add, hands them out in order from its own cache line, and keeps claiming blocks
/// for <see cref="BurstBlocks"/> blocks before it goes back to the shared counter. Positions stay strict within a
/// block; across threads, concurrent picks interleave blocks. After a burst of overlapping picks ends, a stripe
/// may still hand out the rest of its burst (at most <see cref="BlockSize"/> × <see cref="BurstBlocks"/> positions)
/// out of node-wide order; then the order is strict again.
/// </para>
/// <para>
/// Races are harmless by construction: two picks that race on the counter or on a stripe shared by two threads
/// may read the same value and choose the same position, a repeat (the value is only used modulo a candidate
/// count). No pick locks or allocates.
/// </para>
/// </remarks>
internal sealed class SharedSequence
{
    /// <summary>Positions claimed at once by a stripe whose picks overlap others.</summary>
    internal const int BlockSize = 8;

    /// <summary>Blocks a stripe claims after it saw an overlap, before it tries the shared counter again.</summary>
    internal const int BurstBlocks = 4;

    // The shared word is (next position << TagBits) | tag of the last plain writer (its stripe + 1).
    private const int TagBits = 16;

    // A stripe's slot, in longs: [0] = block (next position << 8 | positions left), [1] = the word this stripe
    // last wrote to the shared counter, [2] = blocks left in the burst. 16 longs = 128 bytes between slots
    // (two cache lines, against adjacent-line prefetch); slot 0 is unused so no slot shares the array header's line.
    private const int Stride = 16;
    private const int LastWrittenIndex = 1;
    private const int BurstIndex = 2;
    private const long BlockLeftMask = 0xFF;

    private readonly long[] _slots = new long[(ThreadStripe.Count + 1) * Stride];
    private Cell _shared;

    /// <summary>Returns the next position, starting at 0.</summary>
    /// <returns>The position.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Next() => Next(ThreadStripe.Current);

    /// <summary>Returns the next position as a pick on the given stripe takes it (tests drive stripes directly).</summary>
    /// <param name="stripe">A stripe in [0, <see cref="ThreadStripe.Count"/>).</param>
    /// <returns>The position.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint Next(int stripe)
    {
        ref var slot = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (stripe + 1) * Stride);
        var block = slot;
        if ((block & BlockLeftMask) != 0)
        {
            // One read and one write of one word: a racing thread on the same stripe can only repeat a position.
            slot = block + (1 << 8) - 1;
            return (uint)(block >> 8);
        }

        ref var lastWritten = ref Unsafe.Add(ref slot, LastWrittenIndex);
        var shared = Volatile.Read(ref _shared.Value);
        var mine = lastWritten;
        if (Unsafe.Add(ref slot, BurstIndex) > 0 || (shared != mine && (ulong)shared >> TagBits <= (ulong)mine >> TagBits))
        {
            // Still in a burst, or this stripe's last write was overwritten by an overlapping pick.
            return ClaimBlock(ref slot);
        }

        var position = (ulong)shared >> TagBits;
        var next = (long)((position + 1) << TagBits) | (uint)(stripe + 1);
        Volatile.Write(ref _shared.Value, next);
        lastWritten = next;
        return (uint)position;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint ClaimBlock(ref long slot)
    {
        ref var burst = ref Unsafe.Add(ref slot, BurstIndex);
        burst = (burst > 0 ? burst : BurstBlocks) - 1;
        var end = (ulong)Interlocked.Add(ref _shared.Value, BlockSize << TagBits) >> TagBits;
        var start = end - BlockSize;
        slot = (long)((start + 1) << 8) | (BlockSize - 1);
        return (uint)start;
    }

    /// <summary>
    /// For tests: writes the shared counter as a pick on <paramref name="stripe"/> that read
    /// <paramref name="position"/> writes it, e.g. one that overlapped another pick and overwrote its write.
    /// </summary>
    /// <param name="position">The position the simulated pick took.</param>
    /// <param name="stripe">The simulated pick's stripe.</param>
    internal void WriteAsPick(ulong position, int stripe) =>
        Volatile.Write(ref _shared.Value, (long)((position + 1) << TagBits) | (uint)(stripe + 1));

    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct Cell
    {
        [FieldOffset(64)]
        public long Value;
    }
}
