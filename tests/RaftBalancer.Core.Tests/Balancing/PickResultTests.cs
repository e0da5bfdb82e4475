namespace RaftBalancer.Core.Tests.Balancing;

[Trait("Category", "Unit")]
public sealed class PickResultTests
{
    [Fact]
    public void Default_IsNoHealthyBackends()
    {
        PickResult result = default;

        Assert.Equal(PickOutcome.NoHealthyBackends, result.Outcome);
        Assert.False(result.IsSuccess);
        Assert.Null(result.Backend);
        Assert.True(result == PickResult.NoHealthyBackends);
        Assert.Equal("NoHealthyBackends", result.ToString());
        Assert.Equal(0, result.GetHashCode());
    }

    [Fact]
    public void Ctor_Backend_PickedWithThatBackend()
    {
        var backend = TestViews.Ids("a").Backends[0];

        var result = new PickResult(backend);

        Assert.True(result.IsSuccess);
        Assert.Equal(PickOutcome.Picked, result.Outcome);
        Assert.Same(backend, result.Backend);
        Assert.Equal("Picked a", result.ToString());
        Assert.Equal(backend.GetHashCode(), result.GetHashCode());
    }

    [Fact]
    public void Ctor_NullBackend_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new PickResult(null!));
    }

    [Fact]
    public void Equals_ByBackendReference()
    {
        var view = TestViews.Ids("a", "b");
        var a = new PickResult(view.Backends[0]);

        Assert.True(a == new PickResult(view.Backends[0]));
        Assert.True(a != new PickResult(view.Backends[1]));
        Assert.True(a != PickResult.NoHealthyBackends);
        Assert.True(a.Equals((object)new PickResult(view.Backends[0])));
        Assert.False(a.Equals("a"));
    }
}
