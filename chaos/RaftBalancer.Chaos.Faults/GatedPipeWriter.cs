using System.IO.Pipelines;

namespace RaftBalancer.Chaos.Faults;

/// <summary>A pipe writer whose flushes (one per Raft message or block) wait at the link's chaos gate first.</summary>
internal sealed class GatedPipeWriter : PipeWriter
{
    private readonly PipeWriter _inner;
    private readonly ChaosFaults _faults;
    private readonly string _peer;
    private readonly CancellationToken _connectionClosed;

    /// <param name="inner">The socket's writer.</param>
    /// <param name="faults">The node's chaos switches.</param>
    /// <param name="peer">The member id at the other end.</param>
    /// <param name="connectionClosed">Fires when the connection is aborted or closed: a send held by a drop then fails at
    /// once, as a write on a closed socket does, instead of waiting for the request timeout.</param>
    public GatedPipeWriter(PipeWriter inner, ChaosFaults faults, string peer, CancellationToken connectionClosed)
    {
        _inner = inner;
        _faults = faults;
        _peer = peer;
        _connectionClosed = connectionClosed;
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
        if (_connectionClosed.CanBeCanceled)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _connectionClosed);
            try
            {
                await _faults.GateAsync(_peer, linked.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"chaos: connection to {_peer} closed while its send was held");
            }
        }
        else
        {
            await _faults.GateAsync(_peer, cancellationToken);
        }

        return await _inner.FlushAsync(cancellationToken);
    }
}
