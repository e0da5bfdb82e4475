namespace RaftBalancer.Node.Tests.Store;

[Trait("Category", "Unit")]
public sealed class ClusterStateMirrorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Snapshot_BeforeSeeding_ConfiguredBackendsAndPolicy_AfterPolicy_TheStoresAsync()
    {
        await using var store = new LocalStateStore();
        var mirror = Mirror(store);
        var changes = new List<IReadOnlyList<BackendDefinition>>();
        mirror.DefinitionsChanged += changes.Add;

        Assert.Equal(["from-file"], mirror.Snapshot().Definitions.Select(d => d.Id));
        Assert.False(mirror.Snapshot().FromStore);

        mirror.Apply(StateEventKind.Set, StoreLayout.Backend("s1"), StoreValues.Encode(new BackendDefinition("s1", "http://127.0.0.1:9101", 4)));
        Assert.Equal(["from-file"], mirror.Snapshot().Definitions.Select(d => d.Id)); // not seeded yet: config/policy comes last
        Assert.Empty(changes);

        mirror.Apply(StateEventKind.Set, StoreLayout.Policy, StoreValues.EncodePolicy("least-connections"));
        var seeded = mirror.Snapshot();
        Assert.True(seeded.FromStore);
        Assert.Equal("least-connections", seeded.PolicyName);
        Assert.Equal(["s1"], seeded.Definitions.Select(d => d.Id));
        Assert.Equal(4, seeded.Definitions[0].Weight);
        Assert.Single(changes);

        mirror.Apply(StateEventKind.Set, StoreLayout.Policy, StoreValues.EncodePolicy("round-robin"));
        Assert.Single(changes); // the backend set did not change
    }

    [Fact]
    public async Task Apply_UndecodableOrMismatchedBackend_IgnoredAsync()
    {
        await using var store = new LocalStateStore();
        var mirror = Mirror(store);
        mirror.Apply(StateEventKind.Set, StoreLayout.Policy, StoreValues.EncodePolicy("round-robin"));

        mirror.Apply(StateEventKind.Set, StoreLayout.Backend("x"), new byte[] { 0xff, 0xff, 0xff });
        mirror.Apply(StateEventKind.Set, StoreLayout.Backend("y"), StoreValues.Encode(new BackendDefinition("not-y", "http://127.0.0.1:9102")));
        mirror.Apply(StateEventKind.Set, StoreLayout.Policy, StoreValues.EncodePolicy("no-such-policy"));

        var contents = mirror.Snapshot();
        Assert.Empty(contents.Definitions);
        Assert.Equal("round-robin", contents.PolicyName); // an unknown stored policy falls back to the node's
    }

    [Fact]
    public async Task Apply_HealthAndLoadSetsAndDeletes_ShowInTheSnapshotAsync()
    {
        await using var store = new LocalStateStore();
        var mirror = Mirror(store);
        var snapshot = new HealthSnapshot(HealthState.Unhealthy, Now, "probe failed", null, 3, 0, null);

        mirror.Apply(StateEventKind.Set, StoreLayout.Health("b1", "n2"), StoreValues.Encode("b1", "n2", snapshot, Now));
        mirror.Apply(StateEventKind.Set, StoreLayout.Load("n2"), StoreValues.EncodeLoad("n2", 1, new Dictionary<string, long> { ["b1"] = 5 }, Now, new Dictionary<string, long> { ["b1"] = 1234 }));
        var contents = mirror.Snapshot();
        var report = Assert.Single(contents.Health["b1"]);
        Assert.Equal(("n2", HealthState.Unhealthy, Now), (report.NodeId, report.State, report.ReportedAt));
        var load = Assert.Single(contents.Loads);
        Assert.Equal(("n2", 5L, 1234UL), (load.NodeId, load.Active["b1"], load.Served!["b1"]));

        mirror.Apply(StateEventKind.Delete, StoreLayout.Health("b1", "n2"), default);
        mirror.Apply(StateEventKind.Delete, StoreLayout.Load("n2"), default);
        contents = mirror.Snapshot();
        Assert.Empty(contents.Health["b1"]);
        Assert.Empty(contents.Loads);
    }

    [Fact]
    public async Task ExecuteAsync_FollowsTheStore_ExistingEntriesThenChangesAsync()
    {
        await using var store = new LocalStateStore();
        await store.SetAsync(StoreLayout.Backend("s1"), StoreValues.Encode(new BackendDefinition("s1", "http://127.0.0.1:9101")), null, CancellationToken.None);
        await store.SetAsync(StoreLayout.Policy, StoreValues.EncodePolicy("round-robin"), null, CancellationToken.None);
        var mirror = Mirror(store);
        using var stop = new CancellationTokenSource();
        await mirror.StartAsync(stop.Token);
        try
        {
            await Poll.UntilAsync(() => mirror.Definitions.Select(d => d.Id).SequenceEqual(["s1"]), TimeSpan.FromSeconds(10), "existing entries listed");
            await store.SetAsync(StoreLayout.Backend("s2"), StoreValues.Encode(new BackendDefinition("s2", "http://127.0.0.1:9102")), null, CancellationToken.None);
            await Poll.UntilAsync(() => mirror.Definitions.Count == 2, TimeSpan.FromSeconds(10), "a later set arrives");
        }
        finally
        {
            await mirror.StopAsync(CancellationToken.None);
        }
    }

    private static ClusterStateMirror Mirror(IStateStore store)
    {
        var options = new NodeOptions { Id = "n1", Policy = "round-robin" };
        options.Backends.Add(new BackendOptions { Id = "from-file", Url = "http://127.0.0.1:9100" });
        return new ClusterStateMirror(store, Microsoft.Extensions.Options.Options.Create(options), new FakeTimeProvider(Now), NullLogger<ClusterStateMirror>.Instance);
    }
}
