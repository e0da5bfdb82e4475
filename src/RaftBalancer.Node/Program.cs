using Microsoft.Extensions.Options;
using RaftBalancer.Node.Hosting;
using RaftBalancer.Node.Options;

namespace RaftBalancer.Node;

/// <summary>Entry point: <c>RaftBalancer.Node --config cluster-configs/local-3/node-1.json</c>.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        WebApplication app;
        try
        {
            app = await NodeApp.BuildAsync(args);
        }
        catch (RaftBalancer.State.StateStoreException ex)
        {
            await Console.Error.WriteLineAsync("raftbalancer-node: cannot start the state store: " + ex.Message);
            return 3;
        }
        catch (NodeConfigurationException ex)
        {
            await Console.Error.WriteLineAsync("raftbalancer-node: invalid configuration:");
            foreach (var error in ex.Errors)
            {
                await Console.Error.WriteLineAsync("  - " + error);
            }

            return 2;
        }

        try
        {
            await app.StartAsync();
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("raftbalancer-node: invalid configuration: " + ex.Message);
            return 2;
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync("raftbalancer-node: cannot listen: " + ex.Message);
            return 3;
        }

        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }
}
