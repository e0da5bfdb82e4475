using Google.Protobuf;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.State.Machine;

/// <summary>Builds the log entries that proposers stamp with their clock before the state machine applies them.</summary>
internal static class StateCommands
{
    public static StateLogEntry Set(string origin, long nowUnixMs, string key, ReadOnlyMemory<byte> value, TimeSpan? ttl) => new()
    {
        FormatVersion = StateCodec.CurrentFormatVersion,
        OriginNodeId = origin,
        TimestampUnixMs = nowUnixMs,
        Set = new SetCommand
        {
            Key = key,
            Value = ByteString.CopyFrom(value.Span),
            ExpiresAtUnixMs = ttl is { } t ? nowUnixMs + Math.Max(1L, (long)Math.Ceiling(t.TotalMilliseconds)) : 0L,
        },
    };

    public static StateLogEntry Delete(string origin, long nowUnixMs, string key) => new()
    {
        FormatVersion = StateCodec.CurrentFormatVersion,
        OriginNodeId = origin,
        TimestampUnixMs = nowUnixMs,
        Delete = new DeleteCommand { Key = key },
    };

    public static StateLogEntry Expire(string origin, long nowUnixMs, string key, long revision) => new()
    {
        FormatVersion = StateCodec.CurrentFormatVersion,
        OriginNodeId = origin,
        TimestampUnixMs = nowUnixMs,
        Expire = new ExpireCommand { Key = key, Revision = revision },
    };
}
