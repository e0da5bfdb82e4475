namespace RaftBalancer.Chaos;

/// <summary>The console runner (filled in with the harness).</summary>
internal static class ChaosCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync("chaos: no scenarios yet");
        return args.Length >= 0 ? 0 : 1;
    }
}
