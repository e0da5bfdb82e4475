namespace RaftBalancer.State.Tests.Machine;

/// <summary>Format version 1 frames as they sit in logs and snapshots written today: every later codec must read them.</summary>
/// <remarks>
/// The bytes were produced once by <see cref="StateCodec"/> (format version 1, 2026-11-26) and are never to be
/// regenerated: a change to the frame header, the CRC, a field number or a field type that cannot read them fails
/// here. A newer codec may write different bytes; it must still decode these to the same fields.
/// </remarks>
[Trait("Category", "Unit")]
public sealed class GoldenFrameTests
{
    // Set "config/backends/b1" = 77 3D 35 00 FF, origin node-2, at 1764150000123, expiring at 1764150030123.
    private const string SetV1 =
        "52420100350000002D670671080112066E6F64652D3218FBF3A2FCAB3352220A12636F6E6669672F6261636B656E64732F62311205773D3500FF18ABDEA4FCAB33";

    // Delete "config/backends/b2", origin node-1, at 1764150001000.
    private const string DeleteV1 =
        "5242010027000000B2E63AA3080112066E6F64652D3118E8FAA2FCAB335A140A12636F6E6669672F6261636B656E64732F6232";

    // Expire "health/b1/node-2" if still at revision 41, origin node-3, at 1764150002500.
    private const string ExpireV1 =
        "5242010027000000CBB2FC87080112066E6F64652D3318C486A3FCAB3362140A106865616C74682F62312F6E6F64652D321029";

    // Snapshot at revision 42 with two entries (one with a non-ASCII key and an expiry).
    private const string SnapshotV1 =
        "5242020072000000306848B20801102A1A2C0A12636F6E6669672F6261636B656E64732F62311205773D3500FF182828F0A4A2FCAB3332066E6F64652D321A3E0A17636F6E6669672F706F6C6963792FC3BC6EC3AF636F6465120B726F756E642D726F62696E182A20E0C7A6FCAB332880F3A2FCAB3332066E6F64652D31";

    private static readonly byte[] B1Value = [0x77, 0x3D, 0x35, 0x00, 0xFF];

    [Fact]
    public void DecodeEntry_Version1Set_EveryField()
    {
        var entry = DecodeVersion1Entry(SetV1, "node-2", 1_764_150_000_123, StateLogEntry.CommandOneofCase.Set);

        Assert.Equal("config/backends/b1", entry.Set.Key);
        Assert.Equal(B1Value, entry.Set.Value.ToByteArray());
        Assert.Equal(1_764_150_030_123, entry.Set.ExpiresAtUnixMs);
    }

    [Fact]
    public void DecodeEntry_Version1Delete_EveryField()
    {
        var entry = DecodeVersion1Entry(DeleteV1, "node-1", 1_764_150_001_000, StateLogEntry.CommandOneofCase.Delete);

        Assert.Equal("config/backends/b2", entry.Delete.Key);
    }

    [Fact]
    public void DecodeEntry_Version1Expire_EveryField()
    {
        var entry = DecodeVersion1Entry(ExpireV1, "node-3", 1_764_150_002_500, StateLogEntry.CommandOneofCase.Expire);

        Assert.Equal("health/b1/node-2", entry.Expire.Key);
        Assert.Equal(41, entry.Expire.Revision);
    }

    [Fact]
    public void DecodeSnapshot_Version1_EveryField()
    {
        var snapshot = StateCodec.DecodeSnapshot(Convert.FromHexString(SnapshotV1));

        Assert.Equal(1u, snapshot.FormatVersion);
        Assert.Equal(42, snapshot.Revision);
        Assert.Equal(2, snapshot.Entries.Count);

        var b1 = snapshot.Entries[0];
        Assert.Equal("config/backends/b1", b1.Key);
        Assert.Equal(B1Value, b1.Value.ToByteArray());
        Assert.Equal(40, b1.Revision);
        Assert.Equal(0, b1.ExpiresAtUnixMs);
        Assert.Equal(1_764_149_990_000, b1.TimestampUnixMs);
        Assert.Equal("node-2", b1.OriginNodeId);

        var policy = snapshot.Entries[1];
        Assert.Equal("config/policy/\u00FCn\u00EFcode", policy.Key);
        Assert.Equal("round-robin", policy.Value.ToStringUtf8());
        Assert.Equal(42, policy.Revision);
        Assert.Equal(1_764_150_060_000, policy.ExpiresAtUnixMs);
        Assert.Equal(1_764_150_000_000, policy.TimestampUnixMs);
        Assert.Equal("node-1", policy.OriginNodeId);
    }

    [Fact]
    public void Version1SnapshotThenLog_RestoredAndApplied_StateAsRecorded()
    {
        // The path a newer node takes on start-up over an old data directory: restore the snapshot, replay the log.
        var machine = new KeyValueStateMachine();
        machine.Restore(StateCodec.DecodeSnapshot(Convert.FromHexString(SnapshotV1)));
        var now = 1_764_150_000_500L;

        var policy = machine.Current.Get("config/policy/\u00FCn\u00EFcode", now);
        Assert.NotNull(policy);
        Assert.Equal("round-robin", System.Text.Encoding.UTF8.GetString(policy.Value.Span));
        Assert.Equal(42, policy.Revision);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_764_150_000_000), policy.Timestamp);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_764_150_060_000), policy.ExpiresAt);
        Assert.Equal("node-1", policy.OriginNodeId);

        var set = machine.Apply(StateCodec.DecodeEntry(Convert.FromHexString(SetV1)));
        Assert.Equal(43, machine.Current.Revision);
        Assert.Equal(StateEventKind.Set, set.Change!.Kind);
        var b1 = machine.Current.Get("config/backends/b1", now);
        Assert.NotNull(b1);
        Assert.Equal(B1Value, b1.Value.ToArray());
        Assert.Equal(43, b1.Revision);
        Assert.Equal("node-2", b1.OriginNodeId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_764_150_000_123), b1.Timestamp);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_764_150_030_123), b1.ExpiresAt);

        Assert.False(machine.Apply(StateCodec.DecodeEntry(Convert.FromHexString(DeleteV1))).Existed);
        Assert.False(machine.Apply(StateCodec.DecodeEntry(Convert.FromHexString(ExpireV1))).Existed);
        Assert.Equal(45, machine.Current.Revision);
        Assert.Equal(["config/backends/b1", "config/policy/\u00FCn\u00EFcode"], machine.Current.List(string.Empty, now).Select(e => e.Key));
    }

    /// <summary>Decodes a version 1 entry frame and checks the fields every command carries.</summary>
    private static StateLogEntry DecodeVersion1Entry(string hex, string originNodeId, long timestampUnixMs, StateLogEntry.CommandOneofCase command)
    {
        var entry = StateCodec.DecodeEntry(Convert.FromHexString(hex));
        Assert.Equal(1u, entry.FormatVersion);
        Assert.Equal(originNodeId, entry.OriginNodeId);
        Assert.Equal(timestampUnixMs, entry.TimestampUnixMs);
        Assert.Equal(command, entry.CommandCase);
        return entry;
    }
}
