namespace RaftBalancer.Node.Options;

/// <summary>One initial backend in the node's configuration.</summary>
public sealed class BackendOptions
{
    /// <summary>The backend id.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The backend's absolute http(s) base URL.</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>The backend's weight, 0 to 1000. Default 1.</summary>
    public int Weight { get; set; } = 1;

    /// <summary>True when the backend starts drained.</summary>
    public bool Draining { get; set; }
}
