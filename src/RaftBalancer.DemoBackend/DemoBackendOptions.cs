namespace RaftBalancer.DemoBackend;

/// <summary>Start-up settings of the demo backend (command line <c>--id b1 --mode fail --delayMs 50 ...</c>).</summary>
public sealed class DemoBackendOptions
{
    /// <summary>The backend id named in every answer. Default <c>b1</c>.</summary>
    public string Id { get; set; } = "b1";

    /// <summary>Initial mode: <c>ok</c>, <c>fail</c> or <c>429</c>.</summary>
    public string Mode { get; set; } = "ok";

    /// <summary>Initial delay before every answer, in milliseconds.</summary>
    public int DelayMs { get; set; }

    /// <summary>Retry-After seconds sent with 429 answers.</summary>
    public int RetryAfter { get; set; } = 5;

    /// <summary>True when the initial fault applies only to the readiness path.</summary>
    public bool ProbeOnly { get; set; }

    /// <summary>When set, the initial fault applies only to callers naming this node.</summary>
    public string? ForNode { get; set; }
}
