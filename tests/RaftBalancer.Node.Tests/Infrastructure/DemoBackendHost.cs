using RaftBalancer.DemoBackend;

namespace RaftBalancer.Node.Tests.Infrastructure;

/// <summary>An in-process demo backend on a free loopback port.</summary>
internal sealed class DemoBackendHost : IAsyncDisposable
{
    private WebApplication? _app;

    private DemoBackendHost(string id, int port)
    {
        Id = id;
        Port = port;
        Url = "http://127.0.0.1:" + port;
    }

    public string Id { get; }

    public int Port { get; }

    public string Url { get; }

    public static async Task<DemoBackendHost> StartAsync(string id, params string[] extraArgs)
    {
        var host = new DemoBackendHost(id, FreePorts.Next());
        await host.RestartAsync(extraArgs);
        return host;
    }

    /// <summary>Starts (again) on the same port.</summary>
    public async Task RestartAsync(params string[] extraArgs)
    {
        _app = DemoBackendApp.Build(["--id", Id, "--urls", Url, .. extraArgs]);
        await _app.StartAsync();
    }

    /// <summary>Stops the backend abruptly (the port refuses connections afterwards).</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await app.StopAsync(cts.Token);
            await app.DisposeAsync();
        }
    }

    public async Task ControlAsync(string query)
    {
        using var client = new HttpClient();
        using var response = await client.PostAsync(new Uri(Url + "/-/control?" + query), null);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
