namespace RaftBalancer.Chaos.Checking;

/// <summary>One client operation on one register (key), from invocation to completion.</summary>
/// <param name="Id">Unique id of the operation in its history.</param>
/// <param name="Process">The client that issued it (one client issues one operation at a time).</param>
/// <param name="Key">The register.</param>
/// <param name="Kind">Read or write.</param>
/// <param name="Value">The value written, or the value read (null: the key was absent).</param>
/// <param name="InvokedAt">When it was invoked (any monotonic unit, e.g. Stopwatch ticks).</param>
/// <param name="CompletedAt">When the answer arrived; <see langword="null"/> when it never did (then the outcome is unknown).</param>
/// <param name="Outcome">How it ended.</param>
public sealed record HistoryOp(
    long Id,
    string Process,
    string Key,
    OpKind Kind,
    string? Value,
    long InvokedAt,
    long? CompletedAt,
    OpOutcome Outcome)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"#{Id} {Process} {(Kind == OpKind.Write ? "write" : "read")} {Key}={Value ?? "<absent>"} [{InvokedAt}, {(CompletedAt is { } c && Outcome != OpOutcome.Unknown ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : "∞")}] {Outcome.ToString().ToLowerInvariant()}";
}
