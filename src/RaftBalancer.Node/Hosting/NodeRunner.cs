using Microsoft.Extensions.Options;
using RaftBalancer.Node.Options;
using RaftBalancer.State;

namespace RaftBalancer.Node.Hosting;

/// <summary>Runs a node until it is shut down, reporting start-up failures on stderr with the node's exit codes.</summary>
public static class NodeRunner
{
    /// <summary>Builds, starts and runs a node until SIGTERM or Ctrl+C.</summary>
    /// <param name="args">The command line (<c>--config path</c>; any <c>--Section:Key value</c> overrides).</param>
    /// <param name="composition">What a test host adds; <see langword="null"/> for the production node.</param>
    /// <returns>0 after a clean shutdown; 2 for an invalid configuration; 3 when a port or the state store cannot start.</returns>
    public static async Task<int> RunAsync(string[] args, NodeComposition? composition = null)
    {
        WebApplication app;
        try
        {
            app = await NodeApp.BuildAsync(args, composition);
        }
        catch (StateStoreException ex)
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
