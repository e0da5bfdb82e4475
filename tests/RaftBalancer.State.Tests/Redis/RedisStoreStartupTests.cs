namespace RaftBalancer.State.Tests.Redis;

/// <summary>Start-up refusals that need no redis-server: bad options, nothing listening.</summary>
[Trait("Category", "Unit")]
public sealed class RedisStoreStartupTests
{
    [Fact]
    public async Task StartAsync_NothingListening_RetriesThenFailsNamingTheAddress()
    {
        var port = FreePorts.Take(1)[0];
        var logs = new ListLoggerFactory();
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<StateStoreUnavailableException>(async () => await RedisStateStore.StartAsync(
            new RedisStoreOptions { NodeId = "n1", ConnectionString = $"127.0.0.1:{port}", StartupTimeout = TimeSpan.FromSeconds(1.5) }, logs));
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"gave up after {watch.Elapsed}");
        Assert.Contains(logs.Entries, e => e.EventId == 2051);
    }

    [Fact]
    public void Validate_BadFields_EveryErrorNamesItsField()
    {
        var result = new RedisStoreOptionsValidator().Validate(null, new RedisStoreOptions
        {
            NodeId = " ",
            ConnectionString = string.Empty,
            KeyPrefix = "bad\nprefix",
            StartupTimeout = TimeSpan.Zero,
            OperationTimeout = TimeSpan.FromSeconds(-1),
            ReconnectInterval = TimeSpan.Zero,
            WatchCapacity = 0,
        });
        Assert.True(result.Failed);
        foreach (var field in new[] { "NodeId", "ConnectionString", "KeyPrefix", "StartupTimeout", "OperationTimeout", "ReconnectInterval", "WatchCapacity" })
        {
            Assert.Contains(result.Failures!, f => f.StartsWith($"State:Redis:{field}:", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsBeforeConnecting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () => await RedisStateStore.StartAsync(new RedisStoreOptions()));
        Assert.Contains("State:Redis:NodeId", error.Message, StringComparison.Ordinal);
    }
}
