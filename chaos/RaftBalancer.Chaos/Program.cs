namespace RaftBalancer.Chaos;

/// <summary>Entry point: <c>dotnet run --project chaos/RaftBalancer.Chaos -- --scenario all --duration 2m</c>.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => ChaosCli.RunAsync(args, Console.Out, CancellationToken.None);
}
