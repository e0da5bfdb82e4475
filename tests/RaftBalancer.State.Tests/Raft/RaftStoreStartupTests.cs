namespace RaftBalancer.State.Tests.Raft;

public sealed class RaftStoreStartupTests
{
    [Fact]
    [Trait("Category", "Integration")]
    public async Task StartAsync_CorruptSegmentByte_RefusesNamingFileAndOffset()
    {
        await using var cluster = await WriteThenStopAsync();
        var segment = Directory.EnumerateFiles(Path.Combine(cluster.DataDirectory(0), "wal", "data")).Order().First();
        var bytes = await File.ReadAllBytesAsync(segment);
        var frame = IndexOf(bytes, [(byte)'R', (byte)'B', 1, 0], from: 0);
        Assert.True(frame >= 0);
        bytes[frame + 20] ^= 0xFF;
        await File.WriteAllBytesAsync(segment, bytes);

        var error = await Assert.ThrowsAsync<StateStoreCorruptException>(() => cluster.StartNodeAsync(0));
        Assert.True(error.Message.Contains(segment, StringComparison.Ordinal), error.Message);
        Assert.Contains($"offset {frame}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task StartAsync_TruncatedSegment_RefusesNamingFileAndOffset()
    {
        await using var cluster = await WriteThenStopAsync();
        var segment = Directory.EnumerateFiles(Path.Combine(cluster.DataDirectory(0), "wal", "data")).Order().Last();
        await using (var stream = new FileStream(segment, FileMode.Open))
        {
            stream.SetLength(1000);
        }

        var error = await Assert.ThrowsAsync<StateStoreCorruptException>(() => cluster.StartNodeAsync(0));
        Assert.True(error.Message.Contains(segment, StringComparison.Ordinal), error.Message);
        Assert.Contains("offset 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task StartAsync_CorruptSnapshot_RefusesNamingFile()
    {
        await using var cluster = await WriteThenStopAsync(snapshotInterval: 50);
        var snapshot = Directory.EnumerateFiles(Path.Combine(cluster.DataDirectory(0), "snapshots")).First();
        var bytes = await File.ReadAllBytesAsync(snapshot);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(snapshot, bytes);

        var error = await Assert.ThrowsAsync<StateStoreCorruptException>(() => cluster.StartNodeAsync(0));
        Assert.Contains(snapshot, error.Message, StringComparison.Ordinal);
        Assert.Contains("CRC-32 mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task StartAsync_CleanRestart_RecoversEverything()
    {
        await using var cluster = await WriteThenStopAsync(snapshotInterval: 50);
        await cluster.StartNodeAsync(0);
        await RaftTestCluster.EventuallyAsync(async () => (await cluster[0].ListAsync("k/")).Count == 120, "restarted node has every key");
    }

    [Fact]
    [Trait("Category", "Unit")]
    public async Task StartAsync_OwnIdNotInMembers_RefusesNamingField()
    {
        var options = Valid();
        options.NodeId = "n9";
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RaftStateStore.StartAsync(options));
        Assert.Contains("State:Raft:NodeId", error.Message, StringComparison.Ordinal);
        Assert.Contains("'n9' is not in the member list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Validate_EmptyMembers_NamesField()
    {
        var options = new RaftStoreOptions { NodeId = "n1", DataDirectory = "/tmp/x" };
        var result = new RaftStoreOptionsValidator().Validate(null, options);
        Assert.Contains(result.Failures!, f => f.StartsWith("State:Raft:Members: the member list is empty", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Validate_DuplicateAddress_NamesFieldAndOwner()
    {
        var options = Valid();
        options.Members[2].RaftAddress = options.Members[0].RaftAddress;
        var result = new RaftStoreOptionsValidator().Validate(null, options);
        Assert.Contains(result.Failures!, f => f.StartsWith("State:Raft:Members:2:RaftAddress: duplicate member address", StringComparison.Ordinal) && f.Contains("member 'n1'", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Validate_EveryBadField_AllReportedAtOnce()
    {
        var options = Valid();
        options.Members.RemoveAt(2);
        options.Members[1].Id = "n1";
        options.Members[0].ForwardAddress = "nonsense";
        options.DataDirectory = " ";
        options.ElectionTimeoutLower = TimeSpan.FromMilliseconds(300);
        options.ElectionTimeoutUpper = TimeSpan.FromMilliseconds(150);
        options.RequestTimeout = TimeSpan.FromMilliseconds(140);
        options.HeartbeatThreshold = 1.5;
        options.SnapshotInterval = 0;

        var failures = new RaftStoreOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("State:Raft:Members: 2 members listed", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("State:Raft:Members:1:Id: duplicate member id 'n1'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("State:Raft:Members:0:ForwardAddress:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("State:Raft:DataDirectory:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("State:Raft:ElectionTimeoutUpper: must be greater than ElectionTimeoutLower", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("State:Raft:RequestTimeout: must be at least 1 s", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("State:Raft:HeartbeatThreshold:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("State:Raft:SnapshotInterval:", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Validate_FiveMembers_Accepted()
    {
        var options = Valid(5);
        Assert.True(new RaftStoreOptionsValidator().Validate(null, options).Succeeded);
    }

    private static RaftStoreOptions Valid(int size = 3)
    {
        var options = new RaftStoreOptions { NodeId = "n1", DataDirectory = Path.Combine(Path.GetTempPath(), "unused") };
        for (var i = 0; i < size; i++)
        {
            options.Members.Add(new RaftMemberOptions { Id = $"n{i + 1}", RaftAddress = $"127.0.0.1:{7001 + i}", ForwardAddress = $"127.0.0.1:{7101 + i}" });
        }

        return options;
    }

    private static async Task<RaftTestCluster> WriteThenStopAsync(int snapshotInterval = 10_000)
    {
        var cluster = await RaftTestCluster.StartAsync(configure: o =>
        {
            o.SnapshotInterval = snapshotInterval;
            o.SegmentSize = 8192;
        });
        var leader = await cluster.WaitForLeaderAsync();
        for (var i = 0; i < 120; i++)
        {
            await cluster[leader].SetAsync($"k/{i}", new byte[40]);
        }

        await RaftTestCluster.EventuallyAsync(async () => (await cluster[0].ListAsync("k/")).Count == 120, "node 1 has every key");
        await cluster.StopNodeAsync(0);
        return cluster;
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int from)
    {
        for (var i = from; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        return -1;
    }
}
