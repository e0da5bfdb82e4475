namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>How a <see cref="TestCluster"/> runs its nodes.</summary>
internal enum NodeMode
{
    /// <summary>Each node is a <c>NodeApp</c> inside the test process, with its own Raft store, ports and data directory (fast; stop and restart only).</summary>
    InProcess = 0,

    /// <summary>Each node is a real <c>dotnet RaftBalancer.Node.dll --config …</c> process (slower; can be SIGKILLed).</summary>
    Process = 1,
}
