namespace RaftBalancer.Cli.Connection;

/// <summary>How rbctl reaches the cluster for one command.</summary>
/// <param name="Nodes">Admin addresses, tried in order until one answers.</param>
/// <param name="Token">The admin token sent as <c>authorization: Bearer</c>; null sends none.</param>
/// <param name="Timeout">The deadline of one attempt against one node.</param>
/// <param name="Trust">The CA trusted for https nodes (<c>--ca</c>); null uses the system's trust store.</param>
internal sealed record ConnectionSettings(IReadOnlyList<Uri> Nodes, string? Token, TimeSpan Timeout, CaTrust? Trust = null)
{
    /// <summary>The longest time spent opening a connection to one node before trying the next.</summary>
    public static readonly TimeSpan MaxConnectTimeout = TimeSpan.FromSeconds(5);
}
