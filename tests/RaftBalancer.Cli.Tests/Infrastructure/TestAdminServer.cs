using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RaftBalancer.Cli.Tests.Infrastructure;

/// <summary>A real Kestrel host on 127.0.0.1 (ephemeral port, HTTP/2 cleartext) serving a <see cref="FakeAdminService"/>.</summary>
internal sealed class TestAdminServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestAdminServer(WebApplication app, FakeAdminService service, string address)
    {
        _app = app;
        Service = service;
        Address = address;
    }

    public FakeAdminService Service { get; }

    /// <summary>The server's base address, e.g. http://127.0.0.1:41234.</summary>
    public string Address { get; }

    public static async Task<TestAdminServer> StartAsync()
    {
        var service = new FakeAdminService();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);

        var app = builder.Build();
        app.MapGrpcService<FakeAdminService>();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new TestAdminServer(app, service, address);
    }

    public async ValueTask DisposeAsync()
    {
        Service.Shutdown();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
