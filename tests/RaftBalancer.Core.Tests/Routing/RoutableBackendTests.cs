namespace RaftBalancer.Core.Tests.Routing;

[Trait("Category", "Unit")]
public sealed class RoutableBackendTests
{
    [Fact]
    public void Ctor_Valid_ExposesDefinitionAndLoad()
    {
        var tracker = TestViews.NewTracker();
        var definition = TestViews.Definition("a", weight: 4);
        var counter = tracker.GetOrAdd("a");

        var backend = new RoutableBackend(definition, counter, remoteActive: 7);
        tracker.StartConnection(backend);

        Assert.Same(definition, backend.Definition);
        Assert.Same(counter, backend.Counter);
        Assert.Equal("a", backend.Id);
        Assert.Equal(definition.Url, backend.Url);
        Assert.Equal(4, backend.Weight);
        Assert.Equal(7, backend.RemoteActive);
        Assert.Equal(8, backend.Load);
    }

    [Fact]
    public void Ctor_CounterOfAnotherBackend_ThrowsNamingBoth()
    {
        var tracker = TestViews.NewTracker();

        var ex = Assert.Throws<ArgumentException>(() => new RoutableBackend(TestViews.Definition("a"), tracker.GetOrAdd("b")));

        Assert.Equal("counter", ex.ParamName);
        Assert.Contains("'b'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_NegativeRemote_Throws()
    {
        var tracker = TestViews.NewTracker();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RoutableBackend(TestViews.Definition("a"), tracker.GetOrAdd("a"), -1));

        Assert.Equal("remoteActive", ex.ParamName);
    }

    [Fact]
    public void Ctor_NullArguments_Throw()
    {
        var tracker = TestViews.NewTracker();

        Assert.Throws<ArgumentNullException>(() => new RoutableBackend(null!, tracker.GetOrAdd("a")));
        Assert.Throws<ArgumentNullException>(() => new RoutableBackend(TestViews.Definition("a"), null!));
    }
}
