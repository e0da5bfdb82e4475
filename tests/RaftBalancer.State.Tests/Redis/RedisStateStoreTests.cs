using StackExchange.Redis;

namespace RaftBalancer.State.Tests.Redis;

/// <summary>Redis-specific behaviour on a real redis-server: restart recovery, foreign values, missing notifications.</summary>
[Trait("Category", "Integration")]
public sealed class RedisStateStoreTests
{
    [SkippableFact]
    public async Task RedisRestarted_WritesFailWhileDownThenBothStoresRecoverAndWatcherConverges()
    {
        SkipUnlessRedis();
        await using var server = await RedisServer.StartAsync();
        await using var one = await RedisStateStore.StartAsync(RedisStores.Options("node-1", server));
        await using var two = await RedisStateStore.StartAsync(RedisStores.Options("node-2", server));

        // The watcher on node-2 folds Existing + events into the state it believes.
        using var watch = two.Watch("r/");
        var believed = new ConcurrentDictionary<string, string>(watch.Existing.ToDictionary(e => e.Key, e => Text(e.Value)));
        var seen = new ConcurrentQueue<StateEvent>();
        var drain = Task.Run(async () =>
        {
            await foreach (var change in watch)
            {
                seen.Enqueue(change);
                if (change.Kind == StateEventKind.Set)
                {
                    believed[change.Key] = Text(change.Value);
                }
                else
                {
                    believed.TryRemove(change.Key, out _);
                }
            }
        });

        await one.SetAsync("r/a", Bytes("a1"));
        await one.SetAsync("r/b", Bytes("b1"));
        await Eventually(() => believed.Count == 2);

        // Persist {a, b}; then change the live state so the restarted Redis (which loads the dump) differs from it.
        await using (var admin = await ConnectionMultiplexer.ConnectAsync($"{server.Address},allowAdmin=true"))
        {
            await admin.GetDatabase().ExecuteAsync("SAVE");
        }

        await one.SetAsync("r/c", Bytes("c1"));
        Assert.True(await one.DeleteAsync("r/a"));
        await Eventually(() => believed.Keys.Order().SequenceEqual(["r/b", "r/c"]));

        await server.KillAsync();
        var error = await Assert.ThrowsAsync<StateStoreUnavailableException>(async () => await one.SetAsync("r/down", Bytes("x")));
        Assert.Contains(server.Address, error.Message, StringComparison.Ordinal);
        Assert.Equal("b1", Text((await two.GetAsync("r/b"))!.Value)); // local reads keep serving the last known state

        await server.RestartAsync();

        // Both stores reconnect on their own: a write through each eventually succeeds.
        await EventuallyAsync(async () => await TrySetAsync(one, "r/e", "e1"));
        await EventuallyAsync(async () => await TrySetAsync(two, "r/f", "f1"));

        var truth = (await one.ListAsync("r/", ReadConsistency.Linearizable)).ToDictionary(e => e.Key, e => Text(e.Value));
        Assert.Equal(["r/a", "r/b", "r/e", "r/f"], truth.Keys.Order());
        await Eventually(() => believed.OrderBy(p => p.Key).SequenceEqual(truth.OrderBy(p => p.Key)));
        Assert.Contains(seen, e => e.Kind == StateEventKind.Delete && e.Key == "r/c"); // reconciled: lost with the restart
        Assert.Contains(seen, e => e.Kind == StateEventKind.Set && e.Key == "r/a"); // reconciled: back from the dump
        foreach (var store in new[] { one, two })
        {
            await EventuallyAsync(async () => (await store.ListAsync("r/")).Select(e => e.Key).SequenceEqual(truth.Keys.Order()));
        }

        watch.Dispose();
        await drain.WaitAsync(StateStoreContractTests.Deadline);
    }

    [SkippableFact]
    public async Task ForeignValuesUnderPrefix_LoggedAndIgnored()
    {
        SkipUnlessRedis();
        await using var server = await RedisServer.StartAsync();
        var logs = new ListLoggerFactory();
        await using var store = await RedisStateStore.StartAsync(RedisStores.Options("node-1", server), logs);
        using var watch = store.Watch("foreign/");

        await using (var raw = await ConnectionMultiplexer.ConnectAsync(server.Address))
        {
            var db = raw.GetDatabase();
            await db.StringSetAsync("rbtest:kv:foreign/text", "not ours");
            await db.StringSetAsync("rbtest:kv:foreign/fake", "12:RB garbage");
            await db.HashSetAsync("rbtest:kv:foreign/hash", "f", "v");
            await raw.GetSubscriber().PublishAsync(RedisChannel.Literal("rbtest:events"), "garbage on our channel");
        }

        Assert.Null(await store.GetAsync("foreign/text", ReadConsistency.Linearizable));
        Assert.Null(await store.GetAsync("foreign/fake", ReadConsistency.Linearizable));
        Assert.Empty(await store.ListAsync("foreign/", ReadConsistency.Linearizable));
        await Eventually(() => logs.Entries.Any(e => e.EventId == 2056 && e.Message.Contains("change channel", StringComparison.Ordinal)));

        // A store starting on top of them reads past them too.
        var logs2 = new ListLoggerFactory();
        await using var late = await RedisStateStore.StartAsync(RedisStores.Options("node-2", server), logs2);
        Assert.Empty(await late.ListAsync("foreign/"));
        Assert.Equal(3, logs2.Entries.Count(e => e.EventId == 2056));

        // And both keep working.
        await late.SetAsync("foreign/ok", Bytes("fine"));
        await using var events = watch.GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(StateStoreContractTests.Deadline));
        Assert.Equal(("foreign/ok", "node-2"), (events.Current.Key, events.Current.OriginNodeId));
    }

    [SkippableFact]
    public async Task StartAsync_ConfigDisabledAndNotificationsOff_FailsNamingTheSetting()
    {
        SkipUnlessRedis();
        await using var server = await RedisServer.StartAsync("--rename-command", "CONFIG", string.Empty);
        var error = await Assert.ThrowsAsync<StateStoreException>(async () => await RedisStateStore.StartAsync(RedisStores.Options("node-1", server)));
        Assert.Contains("notify-keyspace-events", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Address, error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task StartAsync_ConfigDisabledButNotificationsOn_StartsAndSeesExpiry()
    {
        SkipUnlessRedis();
        await using var server = await RedisServer.StartAsync("--rename-command", "CONFIG", string.Empty, "--notify-keyspace-events", "Ex");
        await using var store = await RedisStateStore.StartAsync(RedisStores.Options("node-1", server));
        using var watch = store.Watch("t/");
        await using var events = watch.GetAsyncEnumerator();
        await store.SetAsync("t/k", Bytes("v"), TimeSpan.FromMilliseconds(20));
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(StateStoreContractTests.Deadline));
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(StateStoreContractTests.Deadline));
        Assert.Equal((StateEventKind.Delete, "t/k", "node-1"), (events.Current.Kind, events.Current.Key, events.Current.OriginNodeId));
    }

    [SkippableFact]
    public async Task StartAsync_NotificationsOff_EnablesThemWithConfigSet()
    {
        SkipUnlessRedis();
        await using var server = await RedisServer.StartAsync();
        await using var store = await RedisStateStore.StartAsync(RedisStores.Options("node-1", server));
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{server.Address},allowAdmin=true");
        var flags = (await admin.GetServer(server.Address).ConfigGetAsync("notify-keyspace-events")).Single().Value;
        Assert.Contains('E', flags);
        Assert.Contains('x', flags);
    }

    private static void SkipUnlessRedis()
    {
        var found = RedisServer.FindExecutable(out var reason);
        Skip.If(found is null, reason);
    }

    private static async Task<bool> TrySetAsync(RedisStateStore store, string key, string value)
    {
        try
        {
            await store.SetAsync(key, Bytes(value));
            return true;
        }
        catch (StateStoreUnavailableException)
        {
            return false;
        }
    }

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    private static Task Eventually(Func<bool> condition) => EventuallyAsync(() => Task.FromResult(condition()));

    private static Task EventuallyAsync(Func<Task<bool>> condition) => Poll.UntilAsync(condition, StateStoreContractTests.Deadline, "the condition");
}
