namespace RaftBalancer.Chaos.Tests.Checking;

[Trait("Category", "Unit")]
public sealed class LinearizabilityCheckerTests
{
    [Fact]
    public void Check_EmptyHistory_IsLinearizable()
    {
        Assert.True(LinearizabilityChecker.Check([]).IsLinearizable);
    }

    [Fact]
    public void Check_SequentialWritesAndReads_IsLinearizable()
    {
        var result = new HistoryBuilder()
            .Read("a", null, 0, 1)
            .Write("a", "x", 2, 3)
            .Read("a", "x", 4, 5)
            .Write("a", "y", 6, 7)
            .Read("a", "y", 8, 9)
            .Check();

        Assert.True(result.IsLinearizable);
    }

    [Fact]
    public void Check_StaleReadAfterAcknowledgedWrite_IsRejected()
    {
        // x is acknowledged at 3; a read invoked at 4 still returns the old (absent) value.
        var result = new HistoryBuilder()
            .Write("a", "x", 0, 3)
            .Read("a", null, 4, 5)
            .Check();

        Assert.False(result.IsLinearizable);
        var violation = Assert.Single(result.Violations);
        Assert.Equal("a", violation.Key);
        Assert.Contains("read", violation.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_StaleReadOfOverwrittenValue_IsRejected()
    {
        var result = new HistoryBuilder()
            .Write("a", "x", 0, 1)
            .Write("a", "y", 2, 3)
            .Read("a", "x", 4, 5)
            .Check();

        Assert.False(result.IsLinearizable);
    }

    [Fact]
    public void Check_ReadConcurrentWithWrite_MaySeeEitherValue()
    {
        var old = new HistoryBuilder().Write("a", "x", 0, 1).Write("a", "y", 2, 10).Read("a", "x", 3, 4).Check();
        var fresh = new HistoryBuilder().Write("a", "x", 0, 1).Write("a", "y", 2, 10).Read("a", "y", 3, 4).Check();

        Assert.True(old.IsLinearizable);
        Assert.True(fresh.IsLinearizable);
    }

    [Fact]
    public void Check_TwoWritesObservedInBothOrders_IsRejected()
    {
        // x and y are concurrent, so either order is fine — but not both: one reader sees x then y,
        // another (later in real time) sees y then x.
        var result = new HistoryBuilder()
            .Write("a", "x", 0, 100)
            .Write("a", "y", 0, 100)
            .Read("a", "x", 10, 11, process: "r1-")
            .Read("a", "y", 12, 13, process: "r1-")
            .Read("a", "y", 14, 15, process: "r2-")
            .Read("a", "x", 16, 17, process: "r2-")
            .Check();

        Assert.False(result.IsLinearizable);
    }

    [Fact]
    public void Check_ReadOfValueNeverWritten_IsRejected()
    {
        var result = new HistoryBuilder().Write("a", "x", 0, 1).Read("a", "z", 2, 3).Check();

        Assert.False(result.IsLinearizable);
    }

    [Fact]
    public void Check_ReadOfFailedWrite_IsRejected()
    {
        // A failed write never took effect: nobody may read it.
        var result = new HistoryBuilder()
            .Write("a", "x", 0, 1, OpOutcome.Fail)
            .Read("a", "x", 2, 3)
            .Check();

        Assert.False(result.IsLinearizable);
    }

    [Fact]
    public void Check_ReadOfUnknownWrite_IsLinearizable()
    {
        // A write whose answer was lost may have taken effect, even long after.
        var result = new HistoryBuilder()
            .Write("a", "x", 0, null, OpOutcome.Unknown)
            .Read("a", null, 5, 6)
            .Read("a", "x", 50, 51)
            .Check();

        Assert.True(result.IsLinearizable);
    }

    [Fact]
    public void Check_UnknownWriteNeverObserved_IsLinearizable()
    {
        var result = new HistoryBuilder()
            .Write("a", "x", 0, null, OpOutcome.Unknown)
            .Write("a", "y", 10, 11)
            .Read("a", "y", 20, 21)
            .Check();

        Assert.True(result.IsLinearizable);
    }

    [Fact]
    public void Check_UnknownWriteCannotTakeEffectBeforeItsInvocation_IsRejected()
    {
        var result = new HistoryBuilder()
            .Read("a", "x", 0, 1)
            .Write("a", "x", 5, null, OpOutcome.Unknown)
            .Check();

        Assert.False(result.IsLinearizable);
    }

    [Fact]
    public void Check_ValueReappearsAfterBeingOverwritten_IsRejected()
    {
        // y overwrote x (both acknowledged, sequential); x cannot come back without a new write.
        var result = new HistoryBuilder()
            .Write("a", "x", 0, 1)
            .Read("a", "x", 2, 3)
            .Write("a", "y", 4, 5)
            .Read("a", "y", 6, 7)
            .Read("a", "x", 8, 9)
            .Check();

        Assert.False(result.IsLinearizable);
    }

    [Fact]
    public void Check_KeysAreIndependent_OnlyTheBrokenKeyIsReported()
    {
        var result = new HistoryBuilder()
            .Write("a", "x", 0, 1)
            .Read("a", "x", 2, 3)
            .Write("b", "x", 0, 1)
            .Read("b", null, 2, 3)
            .Check();

        Assert.False(result.IsLinearizable);
        Assert.Equal("b", Assert.Single(result.Violations).Key);
        Assert.True(result.Keys.Single(k => k.Key == "a").Linearizable);
    }

    [Fact]
    public void Check_FailedAndUnansweredReads_AreIgnored()
    {
        var result = new HistoryBuilder()
            .Write("a", "x", 0, 1)
            .Read("a", "bogus", 2, 3, OpOutcome.Fail)
            .Read("a", "bogus", 4, 5, OpOutcome.Unknown)
            .Check();

        Assert.True(result.IsLinearizable);
    }

    [Fact]
    public void Check_ManyConcurrentClients_CompletesQuickly()
    {
        // 8 clients, 400 ops each on one key, heavy overlap: the cache keeps the search small.
        var builder = new HistoryBuilder();
        var random = new Random(42);
        var current = (string?)null;
        for (var t = 0; t < 3200; t++)
        {
            var lin = (t * 10) + 5;
            if (random.Next(3) == 0)
            {
                current = "v" + t;
                builder.Write("k", current, lin - random.Next(0, 40), lin + random.Next(0, 40));
            }
            else
            {
                builder.Read("k", current, lin - random.Next(0, 40), lin + random.Next(0, 40));
            }
        }

        var result = builder.Check();

        Assert.True(result.IsLinearizable, string.Join("; ", result.Violations.Select(v => v.Explanation)));
        Assert.False(result.Keys[0].Inconclusive);
    }
}
