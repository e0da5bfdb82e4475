namespace RaftBalancer.State.Machine;

/// <summary>What a frame holds; the third byte of every frame.</summary>
internal enum FrameKind : byte
{
    LogEntry = 1,
    Snapshot = 2,
    ForwardRequest = 3,
    ForwardResponse = 4,
    NodeProgress = 5,
}
