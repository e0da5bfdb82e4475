using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Google.Protobuf;

namespace RaftBalancer.State.Tests.Machine;

[Trait("Category", "Unit")]
public sealed class StateMachinePropertyTests
{
    private static readonly string[] Keys = ["config/policy", "config/backends/a", "config/backends/b", "health/a/n1", "load/n1", "load/n2"];

    [Property(MaxTest = 300)]
    public Property Apply_SnapshotRestoredHalfway_SameStateAsStraightThrough()
    {
        return Prop.ForAll(Commands().ToArbitrary(), Gen.Choose(0, 100).ToArbitrary(), (commands, cut) =>
        {
            var split = commands.Length == 0 ? 0 : cut % (commands.Length + 1);

            var straight = new KeyValueStateMachine();
            foreach (var c in commands)
            {
                straight.Apply(c);
            }

            var first = new KeyValueStateMachine();
            foreach (var c in commands.Take(split))
            {
                first.Apply(c);
            }

            // Through the real bytes: encode, decode, restore.
            var restored = new KeyValueStateMachine();
            restored.Restore(StateCodec.DecodeSnapshot(StateCodec.EncodeSnapshot(first.ToSnapshot())));
            foreach (var c in commands.Skip(split))
            {
                restored.Apply(StateCodec.DecodeEntry(StateCodec.EncodeEntry(c)));
            }

            return StateCodec.EncodeSnapshot(straight.ToSnapshot()).AsSpan().SequenceEqual(StateCodec.EncodeSnapshot(restored.ToSnapshot()));
        });
    }

    /// <summary>The sweeper's index (<see cref="KeyValueStateMachine.Expiring"/>) is exactly the entries that carry an
    /// expiry, with their revisions, after any commands — and after a snapshot restored halfway.</summary>
    [Property(MaxTest = 300)]
    public Property Expiring_AnyCommands_ExactlyTheEntriesWithAnExpiry()
    {
        return Prop.ForAll(Commands().ToArbitrary(), Gen.Choose(0, 100).ToArbitrary(), (commands, cut) =>
        {
            var split = commands.Length == 0 ? 0 : cut % (commands.Length + 1);
            var first = new KeyValueStateMachine();
            foreach (var c in commands.Take(split))
            {
                first.Apply(c);
            }

            var machine = new KeyValueStateMachine();
            machine.Restore(first.ToSnapshot());
            var consistent = Matches(machine);
            foreach (var c in commands.Skip(split))
            {
                machine.Apply(c);
                consistent &= Matches(machine);
            }

            return consistent;
        });

        static bool Matches(KeyValueStateMachine machine)
        {
            var expected = machine.Current.Entries.Where(e => e.Value.ExpiresAtUnixMs != 0).ToDictionary(e => e.Key, e => e.Value.Revision);
            var index = machine.Expiring.ToDictionary(e => e.Key, e => e.Value.Revision);
            return expected.Count == index.Count && expected.All(e => index.TryGetValue(e.Key, out var r) && r == e.Value);
        }
    }

    [Property(MaxTest = 1000)]
    public Property DecodeEntry_RandomBytes_ClearErrorNeverCrash()
    {
        return Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            var machine = new KeyValueStateMachine();
            var before = machine.Current;
            try
            {
                machine.Apply(StateCodec.DecodeEntry(bytes));
                return false; // random bytes never form a frame with a matching CRC in practice
            }
            catch (StateFormatException e)
            {
                return e.Message.StartsWith("Invalid log entry", StringComparison.Ordinal) && ReferenceEquals(before, machine.Current);
            }
        });
    }

    [Property(MaxTest = 1000)]
    public Property DecodeEntry_ValidFrameAroundRandomBody_ClearErrorOrValidCommand()
    {
        // A correct frame and CRC around garbage reaches the protobuf parser and the field rules. A machine that already
        // holds state keeps exactly that state (same object, same revision) when the entry is refused.
        return Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), body =>
        {
            var frame = FrameAround(body);
            var machine = new KeyValueStateMachine();
            machine.Apply(StateCommands.Set("n1", 1_700_000_000_000, "config/policy", new byte[] { 1 }, null));
            machine.Apply(StateCommands.Set("n2", 1_700_000_000_001, "health/a/n1", new byte[] { 2 }, TimeSpan.FromSeconds(5)));
            var before = machine.Current;
            var beforeBytes = StateCodec.EncodeSnapshot(machine.ToSnapshot());
            try
            {
                var entry = StateCodec.DecodeEntry(frame);
                machine.Apply(entry);
                return (entry.CommandCase != StateLogEntry.CommandOneofCase.None && machine.Current.Revision == before.Revision + 1)
                    .Label($"decoded {entry.CommandCase}, revision {before.Revision} -> {machine.Current.Revision}");
            }
            catch (StateFormatException e)
            {
                return (e.Message.StartsWith("Invalid log entry", StringComparison.Ordinal)
                        && ReferenceEquals(before, machine.Current)
                        && machine.Current.Revision == 2
                        && StateCodec.EncodeSnapshot(machine.ToSnapshot()).AsSpan().SequenceEqual(beforeBytes))
                    .Label($"refused ({e.Message}); state changed: {!ReferenceEquals(before, machine.Current)}, revision {machine.Current.Revision}");
            }
        });
    }

    [Property(MaxTest = 300)]
    public Property DecodeEntry_AnyEncodedCommandWithOneFlippedByte_Rejected()
    {
        return Prop.ForAll(Command().ToArbitrary(), Gen.Choose(0, 10_000).ToArbitrary(), (command, position) =>
        {
            var bytes = StateCodec.EncodeEntry(command);
            bytes[position % bytes.Length] ^= 0x5A;
            try
            {
                StateCodec.DecodeEntry(bytes);
                return false;
            }
            catch (StateFormatException)
            {
                return true;
            }
        });
    }

    [Fact]
    public void DecodeEntry_NewerFormatVersion_RefusedWithClearMessage()
    {
        var entry = StateCommands.Delete("n1", 1, "k");
        entry.FormatVersion = StateCodec.CurrentFormatVersion + 1;
        var error = Assert.Throws<StateFormatException>(() => StateCodec.DecodeEntry(StateCodec.EncodeEntry(entry)));
        Assert.Contains("format version 2 is not one this node reads", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeEntry_OlderWriterWithoutNewerFields_Reads()
    {
        // A version-1 writer that never heard of later fields: protobuf leaves them at defaults.
        var bytes = new StateLogEntry { FormatVersion = 1, OriginNodeId = "old", Set = new SetCommand { Key = "k", Value = ByteString.CopyFromUtf8("v") } };
        var decoded = StateCodec.DecodeEntry(StateCodec.EncodeEntry(bytes));
        Assert.Equal(0, decoded.Set.ExpiresAtUnixMs);
        Assert.Equal(0, decoded.TimestampUnixMs);
    }

    private static byte[] FrameAround(byte[] body)
    {
        var frame = new byte[StateCodec.HeaderSize + body.Length];
        frame[0] = (byte)'R';
        frame[1] = (byte)'B';
        frame[2] = (byte)FrameKind.LogEntry;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), (uint)body.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), System.IO.Hashing.Crc32.HashToUInt32(body));
        body.CopyTo(frame, StateCodec.HeaderSize);
        return frame;
    }

    private static Gen<StateLogEntry[]> Commands() => Gen.ArrayOf(Command());

    private static Gen<StateLogEntry> Command()
    {
        var key = Gen.Elements(Keys);
        var time = Gen.Choose(0, 1000).Select(t => 1_700_000_000_000L + t);
        var set = from k in key
                  from t in time
                  from v in Gen.Choose(0, 255)
                  from ttl in Gen.Elements<TimeSpan?>(null, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(5))
                  select StateCommands.Set("n" + (v % 3), t, k, new[] { (byte)v }, ttl);
        var delete = from k in key from t in time select StateCommands.Delete("n1", t, k);
        var expire = from k in key from t in time from r in Gen.Choose(0, 40) select StateCommands.Expire("n2", t, k, r);
        return Gen.OneOf(set, delete, expire);
    }
}
