using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using RaftBalancer.State.Raft;
using Xunit.Abstractions;

namespace RaftBalancer.State.Tests.Raft.WalStress;

/// <summary>RaftBalancer's fix of the DotNext WAL flush race (<see cref="WalFlushPositionFix"/>, docs/dotnext-wal-flush-race.md).</summary>
public sealed class WalFlushPositionFixTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rb-walfix-" + Guid.NewGuid().ToString("N"));

    /// <summary>
    /// The reproduction of <see cref="WalFlushRaceTests"/> (which faults within 4 s on every seed) runs clean when the
    /// state machine applies the fix on each install: five seeds of 4 s each, every one with installs past the tail.
    /// </summary>
    [Fact]
    [Trait("Category", "Integration")]
    public async Task RunAsync_SnapshotInstallsWhileFlusherRuns_WithFlushPositionFix_WalNeverFaults()
    {
        Assert.True(WalFlushPositionFix.IsAvailable, WalFlushPositionFix.UnavailableReason);
        var outcomes = new List<StressOutcome>();
        for (var seed = 1; seed <= 5; seed++)
        {
            var directory = Directory.CreateDirectory(Path.Combine(_root, seed.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
            var outcome = await FollowerLogStress.RunAsync(directory, TimeSpan.FromSeconds(4), seed, withFlushPositionFix: true);
            output.WriteLine($"seed {seed}: {outcome.Elapsed.TotalSeconds:F1} s, {outcome.Writes} writes, {outcome.Installs} installs ({outcome.FixAdvances} moved the flusher), fault: {outcome.Fault?.Message ?? "none"}");
            outcomes.Add(outcome);
        }

        output.WriteLine($"total: {outcomes.Sum(o => o.Writes)} writes, {outcomes.Sum(o => o.Installs)} installs, {outcomes.Count(o => o.Fault is not null)} faults");
        Assert.All(outcomes, o => Assert.Null(o.Fault));
        Assert.All(outcomes, o => Assert.True(o.Installs > 0 && o.FixAdvances == o.Installs, $"{o.Installs} installs, {o.FixAdvances} moved the flusher"));
    }

    [Fact]
    public void Check_PinnedDotNext_FindsTheFlushPosition()
    {
        Assert.Null(WalFlushPositionFix.Check(typeof(WriteAheadLog)));
        Assert.True(WalFlushPositionFix.IsAvailable);
        Assert.Null(WalFlushPositionFix.UnavailableReason);
    }

    [Fact]
    public void Check_TypeWithoutTheMember_SaysWhatIsMissing()
    {
        var problem = WalFlushPositionFix.Check(typeof(object));

        Assert.Equal("System.Object has no private instance property UnflushedIndex", problem);
    }

    [Fact]
    public void Check_MemberOfAnotherType_SaysSo()
    {
        var problem = WalFlushPositionFix.Check(typeof(WrongShape));

        Assert.Contains("is a System.Int32, not a System.Int64", problem, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private sealed class WrongShape
    {
        private int _unflushed;

        public int Unflushed => _unflushed;

        private int UnflushedIndex { set => _unflushed = value; }
    }
}
