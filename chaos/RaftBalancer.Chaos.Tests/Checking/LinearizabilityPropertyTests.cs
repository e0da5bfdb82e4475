using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RaftBalancer.Chaos.Tests.Checking;

[Trait("Category", "Unit")]
public sealed class LinearizabilityPropertyTests
{
    private static readonly Gen<(int Seed, int Length, int Overlap, int Keys)> Shapes =
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from length in Gen.Choose(1, 120)
        from overlap in Gen.Choose(0, 60)
        from keys in Gen.Choose(1, 3)
        select (seed, length, overlap, keys);

    /// <summary>
    /// A history made from a sequential execution — each operation takes effect at its own instant, then its
    /// invocation and completion are spread around that instant at random so operations overlap — is
    /// linearizable by construction. Some writes lose their answer (unknown), some writes fail without effect
    /// (never read), some reads are unanswered: the checker must still accept.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Check_HistoryFromSequentialExecutionWithRandomOverlap_IsAccepted() =>
        Prop.ForAll(Shapes.ToArbitrary(), shape =>
        {
            var history = Generate(shape.Seed, shape.Length, shape.Overlap, shape.Keys);
            var result = LinearizabilityChecker.Check(history);
            return result.IsLinearizable && result.Keys.All(k => !k.Inconclusive);
        });

    /// <summary>Corrupting one acknowledged read of such a history with a value nobody wrote is always rejected.</summary>
    [Property(MaxTest = 200)]
    public Property Check_ReadOfUnwrittenValueInjected_IsRejected() =>
        Prop.ForAll(Shapes.ToArbitrary(), shape =>
        {
            var history = Generate(shape.Seed, shape.Length, shape.Overlap, shape.Keys).ToList();
            var reads = history.Select((op, i) => (op, i)).Where(x => x.op.Kind == OpKind.Read && x.op.Outcome == OpOutcome.Ok).ToList();
            if (reads.Count == 0)
            {
                return true;
            }

            var (victim, index) = reads[shape.Seed % reads.Count];
            history[index] = victim with { Value = "never-written" };
            return !LinearizabilityChecker.Check(history).IsLinearizable;
        });

    internal static IReadOnlyList<HistoryOp> Generate(int seed, int length, int overlap, int keyCount)
    {
        var random = new Random(seed);
        var state = new Dictionary<string, string?>(StringComparer.Ordinal);
        var ops = new List<HistoryOp>();
        for (var i = 0; i < length; i++)
        {
            var key = "k" + random.Next(keyCount);
            var at = (i + 1) * 100L;
            var invoked = at - random.Next(0, (overlap * 10) + 1);
            var completed = at + random.Next(0, (overlap * 10) + 1);
            var roll = random.Next(10);
            if (roll < 4)
            {
                var value = "v" + i;
                state[key] = value;
                var unknown = random.Next(8) == 0;
                ops.Add(new HistoryOp(ops.Count, "c" + i, key, OpKind.Write, value, invoked, unknown ? null : completed, unknown ? OpOutcome.Unknown : OpOutcome.Ok));
            }
            else if (roll == 4)
            {
                // A refused write: no effect, never observed.
                ops.Add(new HistoryOp(ops.Count, "c" + i, key, OpKind.Write, "failed" + i, invoked, completed, OpOutcome.Fail));
            }
            else
            {
                var outcome = random.Next(12) == 0 ? OpOutcome.Unknown : OpOutcome.Ok;
                ops.Add(new HistoryOp(ops.Count, "c" + i, key, OpKind.Read, state.GetValueOrDefault(key), invoked, completed, outcome));
            }
        }

        return ops;
    }
}
