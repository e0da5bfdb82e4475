namespace RaftBalancer.Chaos.Node;

/// <summary>A link fault as <c>POST /-/chaos/links</c> takes it.</summary>
/// <param name="To">The peer node id.</param>
/// <param name="Mode">ok, drop, refuse or delay.</param>
/// <param name="DelayMs">For delay: milliseconds per send.</param>
internal sealed record ChaosLinkRequest(string? To, string? Mode, int DelayMs);
