using System.Buffers.Text;
using RaftBalancer.Contracts.V1;
using RaftBalancer.State.Machine;

namespace RaftBalancer.State.Redis;

/// <summary>The bytes this store keeps in Redis values and publishes on its change channel.</summary>
/// <remarks>
/// <c>{revision as ASCII decimal}:{frame}</c>, where the frame is a <see cref="StateCodec"/> frame of a
/// <see cref="StateLogEntry"/> (a set command for stored values and set events, a delete command for delete
/// events). The Lua scripts prepend the revision they allocate, so the revision is decided inside Redis while
/// the frame (origin, timestamp, value, expiry, CRC) is built by the writer.
/// </remarks>
internal static class RedisEnvelope
{
    /// <summary>Splits an envelope; throws <see cref="StateFormatException"/> saying why when it is not one of ours.</summary>
    public static (long Revision, StateLogEntry Entry) Decode(ReadOnlySpan<byte> bytes)
    {
        var colon = bytes.IndexOf((byte)':');
        if (colon is <= 0 or > 19)
        {
            throw new StateFormatException("Invalid Redis value: it does not start with '{revision}:' (not written by RaftBalancer).");
        }

        if (!Utf8Parser.TryParse(bytes[..colon], out long revision, out var consumed) || consumed != colon || revision <= 0)
        {
            throw new StateFormatException("Invalid Redis value: the revision before ':' is not a positive integer.");
        }

        var entry = StateCodec.DecodeEntry(bytes[(colon + 1)..]);
        if (entry.CommandCase is not (StateLogEntry.CommandOneofCase.Set or StateLogEntry.CommandOneofCase.Delete))
        {
            throw new StateFormatException($"Invalid Redis value: it carries a {entry.CommandCase} command; only set and delete are stored or published.");
        }

        return (revision, entry);
    }
}
