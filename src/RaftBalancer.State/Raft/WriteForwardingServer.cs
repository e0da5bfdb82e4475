using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using RaftBalancer.Contracts.V1;
using RaftBalancer.State.Machine;
using RaftBalancer.State.Raft.Security;

namespace RaftBalancer.State.Raft;

/// <summary>The leader side of write forwarding: a one-route Kestrel endpoint that proposes followers' writes.</summary>
/// <remarks>
/// POST <see cref="Path"/> with a framed <see cref="ForwardRequest"/>; the answer is a framed
/// <see cref="ForwardResponse"/> sent after the entry is committed and applied on this node.
/// </remarks>
internal sealed class WriteForwardingServer : IAsyncDisposable
{
    public const string Path = "/raftbalancer/v1/forward";

    public const string ProgressPath = "/raftbalancer/v1/progress";

    private readonly WebApplication _app;

    private WriteForwardingServer(WebApplication app) => _app = app;

    public static async Task<WriteForwardingServer> StartAsync(
        IPEndPoint endPoint,
        Func<ForwardRequest, CancellationToken, Task<ForwardResponse>> handler,
        Func<NodeProgress> progress,
        PeerCredentials? credentials,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration().ConfigureKestrel(o =>
        {
            o.Listen(endPoint, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                if (credentials is not null)
                {
                    // Mutual TLS before any request is read: the client's certificate must name another configured member.
                    l.UseHttps(new TlsHandshakeCallbackOptions
                    {
                        OnConnection = context => ValueTask.FromResult(credentials.ServerOptions(context.Connection.RemoteEndPoint)),
                        HandshakeTimeout = TimeSpan.FromSeconds(5),
                    });
                }
            });
            o.Limits.MaxRequestBodySize = KeyValueRules.MaxValueBytes + (64 * 1024);
        });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(context => HttpMethods.IsGet(context.Request.Method) && context.Request.Path == ProgressPath
            ? WriteAsync(context, StateCodec.Encode(FrameKind.NodeProgress, progress()))
            : HandleAsync(context, handler));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new StateStoreException($"Cannot listen for forwarded writes on {endPoint}: {e.Message} (is the port in use?)", e);
        }

        return new WriteForwardingServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Shutdown took too long; disposal below releases the socket anyway.
        }

        await _app.DisposeAsync();
    }

    private static async Task HandleAsync(HttpContext context, Func<ForwardRequest, CancellationToken, Task<ForwardResponse>> handler)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != Path)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        ForwardResponse response;
        try
        {
            var request = StateCodec.DecodeMessage(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), FrameKind.ForwardRequest, ForwardRequest.Parser);
            response = await handler(request, context.RequestAborted);
        }
        catch (StateFormatException e)
        {
            response = new ForwardResponse { Status = ForwardResponse.Types.Status.Invalid, Error = e.Message };
        }

        await WriteAsync(context, StateCodec.Encode(FrameKind.ForwardResponse, response));
    }

    private static async Task WriteAsync(HttpContext context, byte[] bytes)
    {
        context.Response.ContentType = "application/x-raftbalancer-frame";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }
}
