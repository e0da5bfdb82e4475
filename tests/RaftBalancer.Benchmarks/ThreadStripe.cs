using System.Numerics;

namespace RaftBalancer.Benchmarks;

/// <summary>Gives each thread a fixed stripe so hot-path counters can live on per-thread cache lines.</summary>
/// <remarks>
/// A thread keeps its stripe for its whole life, so a single thread sees a strict sequence; threads that
/// outnumber the stripes share one, which only perturbs order, never correctness.
/// </remarks>
internal static class ThreadStripe
{
    /// <summary>The number of stripes: a power of two, about four per processor.</summary>
    public static readonly int Count = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount * 4, 8, 256));

    [ThreadStatic]
    private static int t_stripePlusOne;

    private static int s_next;

    /// <summary>The calling thread's stripe, in [0, <see cref="Count"/>).</summary>
    public static int Current
    {
        get
        {
            var stripe = t_stripePlusOne;
            return stripe != 0 ? stripe - 1 : Assign();
        }
    }

    private static int Assign()
    {
        var stripe = (Interlocked.Increment(ref s_next) - 1) & (Count - 1);
        t_stripePlusOne = stripe + 1;
        return stripe;
    }
}
