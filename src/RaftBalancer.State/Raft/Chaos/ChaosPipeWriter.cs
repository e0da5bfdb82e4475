using System.IO.Pipelines;

namespace RaftBalancer.State.Raft.Chaos;

/// <summary>A pipe writer whose flushes (one per Raft message or block) wait at the link's chaos gate first.</summary>
internal sealed class ChaosPipeWriter : PipeWriter
{
    private readonly PipeWriter _inner;
    private readonly ChaosFaults _faults;
    private readonly string _peer;

    public ChaosPipeWriter(PipeWriter inner, ChaosFaults faults, string peer)
    {
        _inner = inner;
        _faults = faults;
        _peer = peer;
    }

    public override bool CanGetUnflushedBytes => _inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _inner.UnflushedBytes;

    public override void Advance(int bytes) => _inner.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(sizeHint);

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        await _faults.GateAsync(_peer, cancellationToken);
        return await _inner.FlushAsync(cancellationToken);
    }
}
