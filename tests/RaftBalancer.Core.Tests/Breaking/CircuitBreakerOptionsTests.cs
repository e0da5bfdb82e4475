namespace RaftBalancer.Core.Tests.Breaking;

[Trait("Category", "Unit")]
public sealed class CircuitBreakerOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        var options = new CircuitBreakerOptions();

        Assert.Empty(options.Validate());
        options.ThrowIfInvalid();
        Assert.Equal(5, options.MinRequestsToTrip);
        Assert.Equal(TimeSpan.FromSeconds(10), options.OpenTimeout);
        Assert.Equal(1, options.HalfOpenMaxRequests);
        Assert.Equal(2, options.SuccessThreshold);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_NonPositiveMinRequestsToTrip_NamesField(int value) =>
        AssertSingleError(new CircuitBreakerOptions { MinRequestsToTrip = value }, "CircuitBreaker:MinRequestsToTrip");

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Validate_NonPositiveOpenTimeout_NamesField(int seconds) =>
        AssertSingleError(new CircuitBreakerOptions { OpenTimeout = TimeSpan.FromSeconds(seconds) }, "CircuitBreaker:OpenTimeout");

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_NonPositiveHalfOpenMaxRequests_NamesField(int value) =>
        AssertSingleError(new CircuitBreakerOptions { HalfOpenMaxRequests = value }, "CircuitBreaker:HalfOpenMaxRequests");

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_NonPositiveSuccessThreshold_NamesField(int value) =>
        AssertSingleError(new CircuitBreakerOptions { SuccessThreshold = value }, "CircuitBreaker:SuccessThreshold");

    [Fact]
    public void Validate_EverythingWrong_CollectsEveryError()
    {
        var options = new CircuitBreakerOptions
        {
            MinRequestsToTrip = 0,
            OpenTimeout = TimeSpan.Zero,
            HalfOpenMaxRequests = 0,
            SuccessThreshold = 0,
        };

        Assert.Equal(4, options.Validate().Count);
        var ex = Assert.Throws<ArgumentException>(options.ThrowIfInvalid);
        foreach (var field in new[] { "MinRequestsToTrip", "OpenTimeout", "HalfOpenMaxRequests", "SuccessThreshold" })
        {
            Assert.Contains("CircuitBreaker:" + field, ex.Message, StringComparison.Ordinal);
        }
    }

    private static void AssertSingleError(CircuitBreakerOptions options, string field)
    {
        var error = Assert.Single(options.Validate());
        Assert.StartsWith(field + " must be greater than zero", error, StringComparison.Ordinal);
        var ex = Assert.Throws<ArgumentException>(options.ThrowIfInvalid);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }
}
