using System.Net;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

// A bare, config-based YARP reverse proxy: one catch-all route, one cluster of the given destinations,
// round robin, no health checks, no transforms beyond YARP's defaults. The baseline of tests/load/run-load.sh.
//   dotnet RaftBalancer.LoadBaseline.dll --urls http://127.0.0.1:7501 --backends http://127.0.0.1:7301,http://127.0.0.1:7302
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);

var backends = (builder.Configuration["backends"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
if (backends.Length == 0)
{
    await Console.Error.WriteLineAsync("usage: RaftBalancer.LoadBaseline --urls http://127.0.0.1:PORT --backends URL[,URL...]");
    return 2;
}

var destinations = backends.Select((url, i) => (Key: "d" + i, Value: new DestinationConfig { Address = url }))
    .ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
RouteConfig[] routes = [new RouteConfig { RouteId = "all", ClusterId = "backends", Match = new RouteMatch { Path = "{**catch-all}" } }];
ClusterConfig[] clusters =
[
    new ClusterConfig
    {
        ClusterId = "backends",
        LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
        Destinations = destinations,
        HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower },
    },
];

builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);
var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();
return 0;
