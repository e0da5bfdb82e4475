namespace RaftBalancer.Core.Tests.Breaking;

/// <summary>
/// Generates long operation sequences for the breaker property: each int is an operation code in 0..5 plus
/// six times a lease selector. FsCheck's default int arrays are short and mostly zeros, which would rarely
/// drive the breaker through a full trip / half-open cycle.
/// </summary>
public static class BreakerOperationSequences
{
    public static Arbitrary<int[]> Operations() =>
        Gen.Choose(20, 300)
            .SelectMany(length => Gen.Zip(Gen.Choose(0, 5), Gen.Choose(0, 1000), (code, pick) => code + (6 * pick)).ArrayOf(length))
            .ToArbitrary();
}
