namespace RaftBalancer.Node.Observability;

/// <summary>The access log: one JSON line per proxied request, written off the request path.</summary>
public sealed class AccessLogOptions
{
    /// <summary>True to write the access log. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The file to append to; empty or <c>-</c> (default) writes to stdout.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Lines that may wait for the writer; past that, lines are dropped and counted. Default 8192.</summary>
    public int Capacity { get; set; } = 8192;
}
