using Microsoft.AspNetCore.Http.Features;

namespace RaftBalancer.Node.Diagnostics;

/// <summary>Counts the response body bytes a request sends, for the access log (only installed when it is on).</summary>
/// <remarks>
/// Replaces the request's <see cref="IHttpResponseBodyFeature"/> with a stream-based one over a counting stream (as
/// ASP.NET Core's response compression does), so the count covers everything written through <c>Response.Body</c>
/// or <c>Response.BodyWriter</c>, chunked responses included. <see cref="CompleteAsync"/> flushes it and puts the
/// server's feature back. One object per request; nothing is installed when the access log is off.
/// </remarks>
internal sealed class ResponseByteCounter : Stream
{
    private readonly HttpContext _context;
    private readonly IHttpResponseBodyFeature _server;
    private readonly Stream _inner;
    private readonly StreamResponseBodyFeature _feature;
    private long _written;

    private ResponseByteCounter(HttpContext context, IHttpResponseBodyFeature server)
    {
        _context = context;
        _server = server;
        _inner = server.Stream;
        _feature = new StreamResponseBodyFeature(this, server);
    }

    /// <summary>Gets the body bytes written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Starts counting the response of <paramref name="context"/>.</summary>
    public static ResponseByteCounter Attach(HttpContext context)
    {
        var server = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var counter = new ResponseByteCounter(context, server);
        context.Features.Set<IHttpResponseBodyFeature>(counter._feature);
        return counter;
    }

    /// <summary>Flushes what the counting writer holds and restores the server's feature.</summary>
    public async Task CompleteAsync()
    {
        try
        {
            await _feature.CompleteAsync();
        }
        finally
        {
            _context.Features.Set(_server);
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _inner.Write(buffer, offset, count);
        Interlocked.Add(ref _written, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _inner.Write(buffer);
        Interlocked.Add(ref _written, buffer.Length);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _inner.WriteAsync(buffer, cancellationToken);
        Interlocked.Add(ref _written, buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
