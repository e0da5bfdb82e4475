namespace RaftBalancer.Core.Tests.Balancing;

[Trait("Category", "Unit")]
public sealed class BalancingPoliciesTests
{
    [Theory]
    [InlineData(BalancingPolicyNames.RoundRobin, typeof(RoundRobinPolicy))]
    [InlineData(BalancingPolicyNames.WeightedRoundRobin, typeof(SmoothWeightedRoundRobinPolicy))]
    [InlineData(BalancingPolicyNames.LeastConnections, typeof(LeastConnectionsPolicy))]
    public void Create_KnownName_PolicyOfThatName(string name, Type expected)
    {
        var policy = BalancingPolicies.Create(name);

        Assert.IsType(expected, policy);
        Assert.Equal(name, policy.Name);
    }

    [Fact]
    public void Create_KnownName_FreshInstanceEachTime()
    {
        Assert.NotSame(BalancingPolicies.Create(BalancingPolicyNames.RoundRobin), BalancingPolicies.Create(BalancingPolicyNames.RoundRobin));
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("Round-Robin")]
    [InlineData("")]
    public void Create_UnknownName_ArgumentExceptionListingNames(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => BalancingPolicies.Create(name));

        Assert.Equal("name", ex.ParamName);
        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
        Assert.All(BalancingPolicyNames.All, known => Assert.Contains(known, ex.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(BalancingPolicyNames.RoundRobin, true)]
    [InlineData(BalancingPolicyNames.WeightedRoundRobin, true)]
    [InlineData(BalancingPolicyNames.LeastConnections, true)]
    [InlineData("ROUND-ROBIN", false)]
    [InlineData("random", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsKnown_Name_ExactMatchOnly(string? name, bool expected)
    {
        Assert.Equal(expected, BalancingPolicyNames.IsKnown(name));
    }

    [Fact]
    public void All_EveryName_IsKnownAndCreatable()
    {
        Assert.Equal(3, BalancingPolicyNames.All.Count);
        Assert.All(BalancingPolicyNames.All, name =>
        {
            Assert.True(BalancingPolicyNames.IsKnown(name));
            Assert.Equal(name, BalancingPolicies.Create(name).Name);
        });
    }
}
