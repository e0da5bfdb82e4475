namespace RaftBalancer.Cli.Tests.Infrastructure;

/// <summary>Loopback addresses that refuse connections.</summary>
internal static class DeadAddress
{
    /// <summary>A free port's address: nothing listens there.</summary>
    public static string Create() => $"http://127.0.0.1:{FreePorts.Next()}";
}
