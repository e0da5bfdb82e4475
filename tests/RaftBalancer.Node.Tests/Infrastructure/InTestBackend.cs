using Microsoft.AspNetCore.Hosting;

namespace RaftBalancer.Node.Tests.Infrastructure;

/// <summary>
/// A tiny in-test Kestrel backend on a free loopback port (slim builder, no logging) that answers every request with
/// <see cref="HandleAsync"/>; disposing stops the app (within the stop timeout given, if any) and disposes it.
/// </summary>
internal abstract class InTestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeSpan? _stopTimeout;

    protected InTestBackend(TimeSpan? stopTimeout = null)
    {
        Url = "http://127.0.0.1:" + FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Url);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(HandleAsync);
        _stopTimeout = stopTimeout;
    }

    public string Url { get; }

    public virtual async ValueTask DisposeAsync()
    {
        using var cts = _stopTimeout is { } timeout ? new CancellationTokenSource(timeout) : null;
        await _app.StopAsync(cts?.Token ?? CancellationToken.None);
        await _app.DisposeAsync();
    }

    /// <summary>Starts listening.</summary>
    protected Task StartAppAsync() => _app.StartAsync();

    /// <summary>Answers one request.</summary>
    protected abstract Task HandleAsync(HttpContext context);
}
