using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RaftBalancer.Core.Balancing;

/// <summary>One node-wide rotation counter on its own cache lines, advanced without a locked instruction.</summary>
/// <remarks>
/// <para>
/// A node's successive requests run on whatever thread-pool thread Kestrel hands them, so a rotation must be shared
/// by all threads for sequential requests to follow it (weights 5,1,1 give a,a,b,a,c,a,a through the node). Per-thread
/// rotations scale better but break that order; they were measured and rejected.
/// </para>
/// <para>
/// The increment is a plain read and write, not an interlocked one: sequential picks see a strict sequence, and two
/// picks that race may read the same value and choose the same position, a harmless repeat for a rotation (the value
/// is only used modulo a candidate count). That avoids the lock prefix on every pick. The padding keeps the counter off
/// cache lines shared with neighbouring objects.
/// </para>
/// </remarks>
internal sealed class SharedSequence
{
    private Cell _cell = new() { Value = -1 };

    /// <summary>Returns the next position, starting at 0.</summary>
    /// <returns>The new value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Next()
    {
        var value = Volatile.Read(ref _cell.Value) + 1;
        Volatile.Write(ref _cell.Value, value);
        return (uint)value;
    }

    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct Cell
    {
        [FieldOffset(64)]
        public long Value;
    }
}
