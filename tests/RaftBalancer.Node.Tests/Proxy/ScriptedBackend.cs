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
internal sealed class ScriptedBackend : InTestBackend
{
    private ScriptedBackend(ScriptedFault fault)
        : base(stopTimeout: TimeSpan.FromSeconds(2))
    {
        Fault = fault;
    }

    /// <summary>Every request that reached this backend, as <c>METHOD path body</c>, probes excluded.</summary>
    public ConcurrentQueue<string> Seen { get; } = new();

    /// <summary>How this backend answers from now on.</summary>
    public ScriptedFault Fault { get; set; }

    /// <summary>Lets one <see cref="ScriptedFault.ResetMidBody"/> response break off (once the client has its first bytes).</summary>
    public SemaphoreSlim BreakOff { get; } = new(0);

    public static async Task<ScriptedBackend> StartAsync(ScriptedFault fault)
    {
        var backend = new ScriptedBackend(fault);
        await backend.StartAppAsync();
        return backend;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        BreakOff.Dispose();
    }

    protected override async Task HandleAsync(HttpContext context)
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
