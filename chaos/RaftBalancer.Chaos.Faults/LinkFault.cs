namespace RaftBalancer.Chaos.Faults;

/// <summary>The fault on one directed link, from this node to one peer.</summary>
/// <param name="Mode">What happens to the traffic.</param>
/// <param name="DelayMs">For <see cref="LinkMode.Delay"/>: the added latency per send, in milliseconds.</param>
public sealed record LinkFault(LinkMode Mode, int DelayMs)
{
    /// <summary>A healthy link.</summary>
    public static LinkFault Ok { get; } = new(LinkMode.Ok, 0);
}
