namespace RaftBalancer.State.Tests.Local;

[Trait("Category", "Unit")]
public sealed class LocalStateStoreTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task GetAsync_PastExpiryBeforeSweep_ReadsAsAbsent()
    {
        await using var store = new LocalStateStore(new LocalStoreOptions { SweepInterval = TimeSpan.FromHours(1) }, _time);
        await store.SetAsync("health/b1/n1", Encoding.UTF8.GetBytes("up"), TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(4.999));
        Assert.NotNull(await store.GetAsync("health/b1/n1"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await store.GetAsync("health/b1/n1"));
        Assert.Empty(await store.ListAsync("health/"));
    }

    [Fact]
    public async Task Sweep_ExpiredKey_PublishesOneDeleteStampedWithSweepTime()
    {
        await using var store = new LocalStateStore(new LocalStoreOptions { NodeId = "n1", SweepInterval = TimeSpan.FromMilliseconds(100) }, _time);
        using var watch = store.Watch("load/");
        await store.SetAsync("load/n1", new byte[] { 1 }, TimeSpan.FromMilliseconds(250));

        _time.Advance(TimeSpan.FromMilliseconds(300));
        _time.Advance(TimeSpan.FromMilliseconds(100));

        var events = Drain(watch);
        Assert.Equal([StateEventKind.Set, StateEventKind.Delete], events.Select(e => e.Kind));
        Assert.Equal("n1", events[1].OriginNodeId);
        Assert.Equal(_time.GetUtcNow().AddMilliseconds(-100), events[1].Timestamp);
    }

    [Fact]
    public async Task Sweep_KeyRefreshedBeforeExpiry_NotDeleted()
    {
        await using var store = new LocalStateStore(new LocalStoreOptions { SweepInterval = TimeSpan.FromMilliseconds(100) }, _time);
        await store.SetAsync("load/n1", new byte[] { 1 }, TimeSpan.FromMilliseconds(150));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await store.SetAsync("load/n1", new byte[] { 2 }, TimeSpan.FromMilliseconds(150));
        _time.Advance(TimeSpan.FromMilliseconds(100));

        var entry = await store.GetAsync("load/n1");
        Assert.NotNull(entry);
        Assert.Equal(2, entry.Value.Span[0]);
    }

    [Fact]
    public async Task Watch_ReaderFallsBehind_DroppedWithOverflowAndWriterNotBlocked()
    {
        await using var store = new LocalStateStore(new LocalStoreOptions { WatchCapacity = 4 }, _time);
        var watch = store.Watch("k/");
        for (var i = 0; i < 10; i++)
        {
            await store.SetAsync($"k/{i}", new byte[] { (byte)i });
        }

        var seen = 0;
        await Assert.ThrowsAsync<WatchOverflowException>(async () =>
        {
            await foreach (var unused in watch)
            {
                seen++;
            }
        });
        Assert.Equal(4, seen);
        Assert.Equal(10, (await store.ListAsync("k/")).Count);
    }

    [Fact]
    public async Task Watch_ConcurrentWriters_EventsInRevisionOrder()
    {
        await using var store = new LocalStateStore(null, _time);
        using var watch = store.Watch(string.Empty);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await store.SetAsync($"w{w}/{i}", new byte[] { 1 });
            }
        })));

        var events = Drain(watch);
        Assert.Equal(1600, events.Count);
        Assert.Equal(Enumerable.Range(1, 1600).Select(i => (long)i), events.Select(e => e.Revision));
    }

    [Fact]
    public async Task CloseAsync_Then_WritesFailAndWatchesEnd()
    {
        var store = new LocalStateStore(null, _time);
        var watch = store.Watch(string.Empty);
        await store.CloseAsync();

        await Assert.ThrowsAsync<StateStoreUnavailableException>(async () => await store.SetAsync("a", new byte[] { 1 }));
        await foreach (var unused in watch)
        {
            Assert.Fail("no events expected");
        }

        await store.CloseAsync();
    }

    [Fact]
    public async Task SetAsync_NonPositiveTtl_Rejected()
    {
        await using var store = new LocalStateStore(null, _time);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.SetAsync("a", new byte[] { 1 }, TimeSpan.Zero));
    }

    private static List<StateEvent> Drain(StateWatch watch)
    {
        var reader = watch.GetAsyncEnumerator();
        var list = new List<StateEvent>();
        while (true)
        {
            var next = reader.MoveNextAsync();
            if (!next.IsCompleted || !next.Result)
            {
                return list;
            }

            list.Add(reader.Current);
        }
    }
}
