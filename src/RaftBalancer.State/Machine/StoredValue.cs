namespace RaftBalancer.State.Machine;

/// <summary>One key's value as the state machine holds it; times are Unix milliseconds, 0 expiry = none.</summary>
internal sealed record StoredValue(
    ReadOnlyMemory<byte> Value,
    long Revision,
    long TimestampUnixMs,
    long ExpiresAtUnixMs,
    string OriginNodeId)
{
    public bool IsExpiredAt(long nowUnixMs) => ExpiresAtUnixMs != 0 && ExpiresAtUnixMs <= nowUnixMs;

    public StateEntry ToEntry(string key) => new(
        key,
        Value,
        Revision,
        DateTimeOffset.FromUnixTimeMilliseconds(TimestampUnixMs),
        OriginNodeId,
        ExpiresAtUnixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAtUnixMs));
}
