using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace RaftBalancer.Node.Tests.Proxy;

/// <summary>How a <see cref="ScriptedBackend"/> answers a request (its probe path always answers 200).</summary>
public enum ScriptedFault
{
    /// <summary>200 with a small body.</summary>
    None,

    /// <summary>Reads the whole request, then drops the connection before any response byte.</summary>
    ResetBeforeHeaders,

    /// <summary>Reads the whole request, sends 200 headers and 10 of the 1000 promised body bytes, waits for <see cref="ScriptedBackend.BreakOff"/>, then drops the connection.</summary>
    ResetMidBody,

    /// <summary>Reads the whole request, then never answers (until the caller gives up).</summary>
    Hang,
}

/// <summary>A tiny in-test Kestrel backend that records every non-probe request it received (after reading its body) and then misbehaves as told.</summary>
internal sealed class ScriptedBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedBackend(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Every request that reached this backend, as <c>METHOD path body</c>, probes excluded.</summary>
    public ConcurrentQueue<string> Seen { get; } = new();

    /// <summary>How this backend answers from now on.</summary>
    public ScriptedFault Fault { get; set; }

    /// <summary>Lets one <see cref="ScriptedFault.ResetMidBody"/> response break off (once the client has its first bytes).</summary>
    public SemaphoreSlim BreakOff { get; } = new(0);

    public static async Task<ScriptedBackend> StartAsync(ScriptedFault fault)
    {
        var url = "http://127.0.0.1:" + FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var backend = new ScriptedBackend(app, url) { Fault = fault };
        app.Run(backend.HandleAsync);
        await app.StartAsync();
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
        BreakOff.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.Equals("/-/ready"))
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        Seen.Enqueue(request.Method + " " + request.Path + " " + body);
        switch (Fault)
        {
            case ScriptedFault.ResetBeforeHeaders:
                context.Abort();
                return;
            case ScriptedFault.ResetMidBody:
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentLength = 1000;
                await context.Response.Body.WriteAsync(new byte[10], context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await BreakOff.WaitAsync(context.RequestAborted);
                context.Abort();
                return;
            case ScriptedFault.Hang:
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }

                return;
            default:
                context.Response.StatusCode = StatusCodes.Status200OK;
                await context.Response.WriteAsync("ok", context.RequestAborted);
                return;
        }
    }
}
