namespace RaftBalancer.Core.Tests.Health;

/// <summary>
/// Generates long success (true) / failure (false) sequences, with runs long enough to cross every threshold;
/// FsCheck's default bool arrays are too short to exercise recoveries.
/// </summary>
public static class ProbeOutcomeSequences
{
    public static Arbitrary<bool[]> Outcomes() =>
        Gen.Choose(10, 200)
            .SelectMany(length => Gen.Elements(true, false).ArrayOf(length))
            .ToArbitrary();
}
