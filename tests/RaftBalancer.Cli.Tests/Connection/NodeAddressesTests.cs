namespace RaftBalancer.Cli.Tests.Connection;

[Trait("Category", "Unit")]
public sealed class NodeAddressesTests
{
    [Fact]
    public void TryParse_CommaSeparatedList_KeepsOrderAndAddsHttpScheme()
    {
        Assert.True(NodeAddresses.TryParse("http://10.0.0.1:7101, 10.0.0.2:7101 ,https://node3:7101", out var nodes, out _));

        Assert.Equal(["http://10.0.0.1:7101/", "http://10.0.0.2:7101/", "https://node3:7101/"], nodes.Select(node => node.ToString()));
    }

    [Fact]
    public void TryParse_HostWithoutScheme_IsNotMistakenForAScheme()
    {
        Assert.True(NodeAddresses.TryParse("localhost:7101", out var nodes, out _));

        Assert.Equal("http://localhost:7101/", Assert.Single(nodes).ToString());
    }

    [Fact]
    public void TryParse_Duplicates_AreTriedOnce()
    {
        Assert.True(NodeAddresses.TryParse("10.0.0.1:7101,http://10.0.0.1:7101", out var nodes, out _));

        Assert.Single(nodes);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("ftp://10.0.0.1:7101")]
    [InlineData("http://")]
    [InlineData("http://10.0.0.1:7101,::bad::")]
    public void TryParse_Invalid_ReturnsFalseWithReason(string text)
    {
        Assert.False(NodeAddresses.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Default_IsAValidList()
    {
        Assert.True(NodeAddresses.TryParse(NodeAddresses.Default, out var nodes, out _));
        Assert.Equal(3, nodes.Count);
    }
}
