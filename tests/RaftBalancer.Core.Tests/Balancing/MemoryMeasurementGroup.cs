namespace RaftBalancer.Core.Tests.Balancing;

/// <summary>Tests that measure the process-wide heap run one at a time, after the rest of the assembly, so no other test's allocations are counted.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementGroup
{
    public const string Name = "MemoryMeasurement";
}
