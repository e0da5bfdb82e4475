namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>A cluster node hosted in the test process (<see cref="NodeApp"/> with its own Raft store).</summary>
internal sealed class InProcessClusterNode : ClusterNode
{
    private WebApplication? _app;

    public InProcessClusterNode(NodeEndpoints endpoints, string configPath, string dataDir)
        : base(endpoints, configPath, dataDir)
    {
    }

    public override bool IsRunning => _app is not null;

    /// <summary>The running node's services (view builder, tracker, store); throws when stopped.</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException(Id + " is stopped.");

    public override async Task StartAsync()
    {
        if (_app is not null)
        {
            throw new InvalidOperationException(Id + " is already running.");
        }

        var app = await NodeApp.BuildAsync(["--config", ConfigPath]);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        _app = app;
    }

    public override async Task StopAsync()
    {
        if (_app is not { } app)
        {
            return;
        }

        _app = null;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await app.StopAsync(cts.Token);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
