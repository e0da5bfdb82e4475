namespace RaftBalancer.Core.Tests.Health;

[Trait("Category", "Unit")]
public sealed class ProbeResultTests
{
    [Fact]
    public void Describe_EachKind_IsShortAndReadable()
    {
        Assert.Equal("HTTP 200 in 12ms", ProbeResult.Healthy(200, TimeSpan.FromMilliseconds(12)).Describe());
        Assert.Equal("HTTP 503 in 1.5s", ProbeResult.UnhealthyStatus(503, TimeSpan.FromMilliseconds(1500)).Describe());
        Assert.Equal("timeout after 2s in 2s", ProbeResult.Failed("timeout after 2s", TimeSpan.FromSeconds(2)).Describe());
        Assert.Equal("HTTP 429 in 0s", ProbeResult.RateLimited(TimeSpan.FromSeconds(7), TimeSpan.Zero).Describe());
        Assert.Equal("Unhealthy in 1ms", new ProbeResult(ProbeOutcome.Unhealthy, null, TimeSpan.FromMilliseconds(1), null, null).Describe());
    }

    [Fact]
    public void RateLimited_Factory_SetsStatusAndRetryAfter()
    {
        var result = ProbeResult.RateLimited(TimeSpan.FromSeconds(7), TimeSpan.FromMilliseconds(3));

        Assert.Equal(ProbeOutcome.RateLimited, result.Outcome);
        Assert.Equal(429, result.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Null(result.Error);
    }
}
