using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using Google.Protobuf;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.State.Machine;

/// <summary>Frames and unframes the protobuf messages that go into the log, snapshots and forwarding calls.</summary>
/// <remarks>
/// Frame: <c>'R' 'B' kind 0 | body length (u32 LE) | CRC-32 of body (u32 LE) | body</c>. The CRC catches
/// corruption before protobuf sees the bytes; <see cref="DecodeEntry(ReadOnlySpan{byte})"/> also checks
/// the version and every field rule, so an entry either decodes to a command that applies cleanly or
/// fails with a <see cref="StateFormatException"/> that says why — never a partial apply.
/// </remarks>
internal static class StateCodec
{
    /// <summary>The format version this code writes and the newest it reads.</summary>
    public const uint CurrentFormatVersion = 1;

    public const int HeaderSize = 12;

    private const byte Magic0 = (byte)'R';
    private const byte Magic1 = (byte)'B';

    public static byte[] EncodeEntry(StateLogEntry entry) => Encode(FrameKind.LogEntry, entry);

    public static byte[] EncodeSnapshot(StateSnapshot snapshot) => Encode(FrameKind.Snapshot, snapshot);

    public static byte[] Encode(FrameKind kind, IMessage message)
    {
        var size = message.CalculateSize();
        var buffer = new byte[HeaderSize + size];
        var body = buffer.AsSpan(HeaderSize);
        message.WriteTo(body);
        WriteHeader(buffer, kind, body);
        return buffer;
    }

    public static StateLogEntry DecodeEntry(in ReadOnlySequence<byte> bytes)
        => bytes.IsSingleSegment ? DecodeEntry(bytes.FirstSpan) : DecodeEntry(bytes.ToArray());

    public static StateLogEntry DecodeEntry(ReadOnlySpan<byte> bytes)
    {
        var body = Unframe(bytes, FrameKind.LogEntry, "log entry");
        var entry = Parse(StateLogEntry.Parser, body, "log entry");
        ValidateEntry(entry);
        return entry;
    }

    public static StateSnapshot DecodeSnapshot(ReadOnlySpan<byte> bytes)
    {
        var body = Unframe(bytes, FrameKind.Snapshot, "snapshot");
        var snapshot = Parse(StateSnapshot.Parser, body, "snapshot");
        CheckVersion(snapshot.FormatVersion, "snapshot");
        if (snapshot.Revision < 0)
        {
            throw new StateFormatException($"Snapshot revision {snapshot.Revision} is negative.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in snapshot.Entries)
        {
            if (KeyValueRules.TryValidateKey(e.Key) is { } error)
            {
                throw new StateFormatException($"Snapshot holds an invalid key: {error}");
            }

            if (!seen.Add(e.Key))
            {
                throw new StateFormatException($"Snapshot holds key '{e.Key}' twice.");
            }

            if (e.Value.Length > KeyValueRules.MaxValueBytes || e.Revision < 0 || e.Revision > snapshot.Revision || e.ExpiresAtUnixMs < 0)
            {
                throw new StateFormatException($"Snapshot entry '{e.Key}' has an out-of-range value size, revision or expiry.");
            }
        }

        return snapshot;
    }

    public static T DecodeMessage<T>(ReadOnlySpan<byte> bytes, FrameKind kind, MessageParser<T> parser)
        where T : IMessage<T>
        => Parse(parser, Unframe(bytes, kind, kind.ToString()), kind.ToString());

    /// <summary>Reads a frame header and returns the total frame length, or an error message.</summary>
    public static bool TryReadFrameLength(ReadOnlySpan<byte> header, out int totalLength)
    {
        totalLength = 0;
        if (header.Length < HeaderSize || header[0] != Magic0 || header[1] != Magic1 || header[3] != 0)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (length > int.MaxValue - HeaderSize)
        {
            return false;
        }

        totalLength = HeaderSize + (int)length;
        return true;
    }

    /// <summary>Checks the CRC of a complete frame.</summary>
    public static bool HasValidChecksum(ReadOnlySpan<byte> frame)
        => TryReadFrameLength(frame, out var total)
            && total <= frame.Length
            && Crc32.HashToUInt32(frame[HeaderSize..total]) == BinaryPrimitives.ReadUInt32LittleEndian(frame[8..]);

    private static void WriteHeader(Span<byte> header, FrameKind kind, ReadOnlySpan<byte> body)
    {
        header[0] = Magic0;
        header[1] = Magic1;
        header[2] = (byte)kind;
        header[3] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32.HashToUInt32(body));
    }

    private static ReadOnlySpan<byte> Unframe(ReadOnlySpan<byte> bytes, FrameKind expected, string what)
    {
        if (bytes.Length < HeaderSize)
        {
            throw new StateFormatException($"Invalid {what}: {bytes.Length} bytes is shorter than the {HeaderSize}-byte frame header (truncated?).");
        }

        if (bytes[0] != Magic0 || bytes[1] != Magic1 || bytes[3] != 0)
        {
            throw new StateFormatException($"Invalid {what}: the frame does not start with the 'RB' marker (bytes {bytes[0]:X2} {bytes[1]:X2}); not a RaftBalancer frame or corrupt.");
        }

        if (bytes[2] != (byte)expected)
        {
            throw new StateFormatException($"Invalid {what}: frame kind {bytes[2]} where {(byte)expected} ({expected}) was expected.");
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if (length != (uint)(bytes.Length - HeaderSize))
        {
            throw new StateFormatException($"Invalid {what}: the header announces {length} body bytes but {bytes.Length - HeaderSize} follow (truncated or corrupt).");
        }

        var body = bytes[HeaderSize..];
        var expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        var actualCrc = Crc32.HashToUInt32(body);
        if (expectedCrc != actualCrc)
        {
            throw new StateFormatException($"Invalid {what}: CRC-32 mismatch (stored {expectedCrc:X8}, computed {actualCrc:X8}); the bytes are corrupt.");
        }

        return body;
    }

    private static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> body, string what)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new StateFormatException($"Invalid {what}: the protobuf body does not parse: {e.Message}", e);
        }
    }

    private static void CheckVersion(uint version, string what)
    {
        if (version is 0 or > CurrentFormatVersion)
        {
            throw new StateFormatException(
                $"Invalid {what}: format version {version} is not one this node reads (1..{CurrentFormatVersion}); upgrade the node or restore from a compatible peer.");
        }
    }

    private static void ValidateEntry(StateLogEntry entry)
    {
        CheckVersion(entry.FormatVersion, "log entry");
        if (entry.TimestampUnixMs < 0)
        {
            throw new StateFormatException($"Invalid log entry: timestamp {entry.TimestampUnixMs} is negative.");
        }

        var key = entry.CommandCase switch
        {
            StateLogEntry.CommandOneofCase.Set => entry.Set.Key,
            StateLogEntry.CommandOneofCase.Delete => entry.Delete.Key,
            StateLogEntry.CommandOneofCase.Expire => entry.Expire.Key,
            _ => throw new StateFormatException("Invalid log entry: it carries no command (written by a newer node, or corrupt)."),
        };

        if (KeyValueRules.TryValidateKey(key) is { } error)
        {
            throw new StateFormatException($"Invalid log entry: {error}");
        }

        if (entry.CommandCase == StateLogEntry.CommandOneofCase.Set
            && (entry.Set.Value.Length > KeyValueRules.MaxValueBytes || entry.Set.ExpiresAtUnixMs < 0))
        {
            throw new StateFormatException("Invalid log entry: set value is over 1 MiB or its expiry is negative.");
        }
    }
}
