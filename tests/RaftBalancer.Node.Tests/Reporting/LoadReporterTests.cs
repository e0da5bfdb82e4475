namespace RaftBalancer.Node.Tests.Reporting;

/// <summary>The load report is written when the counts change, skipped while they do not, and refreshed at half its TTL.</summary>
[Trait("Category", "Unit")]
public sealed class LoadReporterTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Intervals_CountsUnchanged_NotRewrittenUntilHalfTheTtl_ChangedCountsWrittenAtTheNextInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = new LocalStateStore(new LocalStoreOptions { NodeId = "node-1" }, time);
        var tracker = new ConnectionTracker(time, TimeSpan.FromMinutes(10));
        var counter = tracker.GetOrAdd("a");
        var options = Microsoft.Extensions.Options.Options.Create(new NodeOptions { Id = "node-1", LoadReportInterval = Interval, LoadReportTtl = Ttl });
        using var reporter = new LoadReporter(store, tracker, options, time, NullLogger<LoadReporter>.Instance);
        await reporter.StartAsync(CancellationToken.None);
        try
        {
            // The timer is created on the reporter's own thread: advance until it has seen its first interval.
            await Poll.UntilAsync(
                () =>
                {
                    if (reporter.Intervals > 0)
                    {
                        return true;
                    }

                    time.Advance(Interval);
                    return false;
                },
                Deadline,
                "the first report interval");
            Assert.Equal(1, reporter.Intervals);
            Assert.Equal(1, reporter.Written);
            Assert.Equal((1UL, 0L), await ReadAsync(store));

            // Nothing changed: nine intervals, no write.
            for (var i = 0; i < 9; i++)
            {
                await NextIntervalAsync(time, reporter);
            }

            Assert.Equal(1, reporter.Written);

            // One request started: written at the next interval, then not again while it stays active.
            var lease = tracker.StartConnection(counter);
            await NextIntervalAsync(time, reporter);
            Assert.Equal(2, reporter.Written);
            Assert.Equal((2UL, 1L), await ReadAsync(store));
            for (var i = 0; i < 5; i++)
            {
                await NextIntervalAsync(time, reporter);
            }

            Assert.Equal(2, reporter.Written);

            // It finished: written at the next interval.
            tracker.FinishConnection(lease);
            await NextIntervalAsync(time, reporter);
            Assert.Equal(3, reporter.Written);
            Assert.Equal((3UL, 0L), await ReadAsync(store));

            // Unchanged from here on: rewritten once half the TTL (20 intervals) has passed since that write, not before,
            // so the report never expires while the node lives.
            var halfTtl = (int)(Ttl / 2 / Interval);
            for (var i = 1; i < halfTtl; i++)
            {
                await NextIntervalAsync(time, reporter);
                Assert.True(reporter.Written == 3, "rewritten after only " + i + " unchanged intervals");
            }

            await NextIntervalAsync(time, reporter);
            Assert.Equal(4, reporter.Written);
            Assert.Equal((4UL, 0L), await ReadAsync(store));
        }
        finally
        {
            await reporter.StopAsync(CancellationToken.None);
        }
    }

    private static async Task NextIntervalAsync(FakeTimeProvider time, LoadReporter reporter)
    {
        var before = reporter.Intervals;
        time.Advance(Interval);
        await Poll.UntilAsync(() => reporter.Intervals == before + 1, Deadline, "report interval " + (before + 1));
    }

    /// <summary>The stored report's sequence number and backend a's active count.</summary>
    private static async Task<(ulong Sequence, long ActiveOnA)> ReadAsync(LocalStateStore store)
    {
        var entry = await store.GetAsync(StoreLayout.Load("node-1"));
        Assert.NotNull(entry);
        var report = StoreValues.DecodeLoad(entry.Value);
        Assert.NotNull(report);
        return (report.Sequence, report.Active.TryGetValue("a", out var active) ? active : 0);
    }
}
