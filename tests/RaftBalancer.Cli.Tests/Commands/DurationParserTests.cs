namespace RaftBalancer.Cli.Tests.Commands;

[Trait("Category", "Unit")]
public sealed class DurationParserTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("3", 3_000)]
    [InlineData(" 250MS ", 250)]
    public void TryParse_ValidDuration_ReturnsMilliseconds(string text, double expectedMilliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(expectedMilliseconds, duration.TotalMilliseconds);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0s")]
    [InlineData("-1s")]
    [InlineData("abc")]
    [InlineData("10h")]
    [InlineData("1e3s")]
    [InlineData("2000m")]
    public void TryParse_InvalidDuration_ReturnsFalse(string? text)
    {
        Assert.False(DurationParser.TryParse(text, out _));
    }
}
