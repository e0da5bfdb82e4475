using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RaftBalancer.Benchmarks;

/// <summary>For comparison only (the policies use a node-wide sequence): a counter per thread stripe, each on its own cache lines, so concurrent pickers never write a shared line.</summary>
/// <remarks>
/// Increments are plain reads and writes: two threads that share a stripe may lose an increment, which repeats
/// one position of a rotation; the value is only ever used modulo a candidate count, so that is harmless and
/// cheaper than an interlocked operation on every pick.
/// </remarks>
internal sealed class StripedSequence
{
    // 16 longs = 128 bytes between slots (two cache lines, against adjacent-line prefetch);
    // slot 0 is left unused so no slot shares a line with the array header.
    private const int Stride = 16;

    private readonly long[] _slots = new long[(ThreadStripe.Count + 1) * Stride];

    /// <summary>Returns the calling thread's next value, starting at 0.</summary>
    /// <returns>The value before the increment.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Next()
    {
        ref var slot = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (ThreadStripe.Current + 1) * Stride);
        var value = slot;
        slot = value + 1;
        return (uint)value;
    }
}
