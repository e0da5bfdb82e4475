namespace RaftBalancer.DemoBackend;

/// <summary>The control endpoint's view of the current settings.</summary>
/// <param name="Mode">ok, fail or ratelimit.</param>
/// <param name="DelayMs">Delay before every traffic answer.</param>
/// <param name="RetryAfter">Retry-After seconds on 429 answers.</param>
/// <param name="ProbeOnly">True when the fault applies only to the readiness path.</param>
/// <param name="ForNode">The only caller node the fault applies to, or null for all.</param>
public sealed record ControlView(string Mode, int DelayMs, int RetryAfter, bool ProbeOnly, string? ForNode);
