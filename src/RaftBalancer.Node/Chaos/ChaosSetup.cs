using RaftBalancer.State;
using RaftBalancer.State.Raft;
using RaftBalancer.State.Raft.Chaos;

namespace RaftBalancer.Node.Chaos;

/// <summary>Wires the chaos seam into a node, only when <see cref="ChaosOptions"/> enables it.</summary>
internal static class ChaosSetup
{
    /// <summary>Starts the Raft store, with the fault seam when chaos is enabled.</summary>
    public static async Task<RaftStateStore> StartRaftAsync(RaftStoreOptions options, IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        var chaos = ChaosOptions.Read(configuration);
        if (chaos is null)
        {
            return await RaftStateStore.StartAsync(options, loggerFactory);
        }

        var faults = new ChaosFaults { AckBeforeCommit = chaos.AckBeforeCommit };
        return await RaftStateStore.StartWithChaosAsync(options, faults, loggerFactory);
    }

    /// <summary>Serves <c>/-/chaos/*</c> on the admin port when the store runs with the fault seam; does nothing otherwise.</summary>
    public static void MapChaos(WebApplication app, int adminPort)
    {
        if (app.Services.GetService<IStateStore>() is not RaftStateStore { Chaos: not null } store)
        {
            return;
        }

        var endpoints = new ChaosEndpoints(store);
        app.Use(next => context => context.Connection.LocalPort == adminPort && ChaosEndpoints.Matches(context) ? endpoints.InvokeAsync(context) : next(context));
    }
}
