using System.Net;

namespace RaftBalancer.Node.Diagnostics;

/// <summary>One proxied request as the access log writes it; references only values the request already holds.</summary>
/// <param name="Time">When the request finished.</param>
/// <param name="Client">The client's address, or null.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path.</param>
/// <param name="Status">The status sent to the client.</param>
/// <param name="Backend">The backend of the last attempt, or null when none was picked.</param>
/// <param name="Attempts">Forwarding attempts (2 when retried).</param>
/// <param name="Duration">Time from arrival to the end of the response.</param>
/// <param name="Bytes">Response body bytes sent to the client (counted as written, chunked responses included).</param>
internal readonly record struct AccessLogEntry(
    DateTimeOffset Time,
    IPAddress? Client,
    string Method,
    string Path,
    int Status,
    string? Backend,
    int Attempts,
    TimeSpan Duration,
    long Bytes);
