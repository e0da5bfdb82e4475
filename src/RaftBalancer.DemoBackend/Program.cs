namespace RaftBalancer.DemoBackend;

/// <summary>Entry point: <c>RaftBalancer.DemoBackend --id b1 --urls http://127.0.0.1:7301</c>.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        WebApplication app;
        try
        {
            app = DemoBackendApp.Build(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync("demo backend: " + ex.Message);
            return 2;
        }

        await app.RunAsync();
        return 0;
    }
}
