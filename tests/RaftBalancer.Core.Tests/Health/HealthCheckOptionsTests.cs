namespace RaftBalancer.Core.Tests.Health;

[Trait("Category", "Unit")]
public sealed class HealthCheckOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoErrorsAndDocumentedValues()
    {
        var options = new HealthCheckOptions();

        Assert.Empty(options.Validate());
        options.ThrowIfInvalid();
        Assert.Equal("/-/ready", options.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Interval);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.EffectiveJitter);
        Assert.Equal(TimeSpan.FromSeconds(5), options.EffectiveDefaultRetryAfter);
        Assert.Equal(3, options.FailureThreshold);
        Assert.Equal(1, options.SuccessThreshold);
    }

    [Fact]
    public void Validate_ExplicitJitterAndRetryAfter_AreUsed()
    {
        var options = new HealthCheckOptions { Jitter = TimeSpan.Zero, DefaultRetryAfter = TimeSpan.FromSeconds(30) };

        Assert.Empty(options.Validate());
        Assert.Equal(TimeSpan.Zero, options.EffectiveJitter);
        Assert.Equal(TimeSpan.FromSeconds(30), options.EffectiveDefaultRetryAfter);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_NonPositiveFailureThreshold_NamesField(int value) =>
        AssertSingleError(new HealthCheckOptions { FailureThreshold = value }, "HealthCheck:FailureThreshold", "greater than zero");

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Validate_NonPositiveSuccessThreshold_NamesField(int value) =>
        AssertSingleError(new HealthCheckOptions { SuccessThreshold = value }, "HealthCheck:SuccessThreshold", "greater than zero");

    [Theory]
    [InlineData(0)]
    [InlineData(-1000)]
    public void Validate_NonPositiveTimeout_NamesField(int milliseconds) =>
        AssertSingleError(
            new HealthCheckOptions { Timeout = TimeSpan.FromMilliseconds(milliseconds) },
            "HealthCheck:Timeout",
            "greater than zero");

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Validate_NonPositiveInterval_NamesField(int seconds) =>
        AssertSingleError(
            new HealthCheckOptions { Interval = TimeSpan.FromSeconds(seconds) },
            "HealthCheck:Interval",
            "greater than zero");

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void Validate_IntervalNotGreaterThanTimeout_NamesBothFields(int intervalSeconds)
    {
        var options = new HealthCheckOptions { Interval = TimeSpan.FromSeconds(intervalSeconds), Timeout = TimeSpan.FromSeconds(5) };

        var error = Assert.Single(options.Validate());

        Assert.Equal(
            $"HealthCheck:Timeout must be less than HealthCheck:Interval (got 5s ≥ {intervalSeconds}s).",
            error);
    }

    [Theory]
    [InlineData("ready")]
    [InlineData("//evil.example/ready")]
    public void Validate_EndpointWithoutLeadingSlash_NamesField(string endpoint) =>
        AssertSingleError(new HealthCheckOptions { Endpoint = endpoint }, "HealthCheck:Endpoint", "single '/'");

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void Validate_MissingEndpoint_NamesField(string? endpoint) =>
        AssertSingleError(new HealthCheckOptions { Endpoint = endpoint! }, "HealthCheck:Endpoint", "is required");

    [Theory]
    [InlineData("/ready now")]
    [InlineData("/ready#x")]
    public void Validate_EndpointWithWhitespaceOrFragment_NamesField(string endpoint) =>
        AssertSingleError(new HealthCheckOptions { Endpoint = endpoint }, "HealthCheck:Endpoint", "whitespace");

    [Fact]
    public void Validate_NegativeJitter_NamesField() =>
        AssertSingleError(
            new HealthCheckOptions { Jitter = TimeSpan.FromMilliseconds(-1) },
            "HealthCheck:Jitter",
            "must not be negative (got -1ms)");

    [Theory]
    [InlineData(5000)]
    [InlineData(7500)]
    public void Validate_JitterNotLessThanInterval_NamesField(int milliseconds) =>
        AssertSingleError(
            new HealthCheckOptions { Jitter = TimeSpan.FromMilliseconds(milliseconds) },
            "HealthCheck:Jitter",
            "must be less than HealthCheck:Interval");

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_NonPositiveDefaultRetryAfter_NamesField(int seconds) =>
        AssertSingleError(
            new HealthCheckOptions { DefaultRetryAfter = TimeSpan.FromSeconds(seconds) },
            "HealthCheck:DefaultRetryAfter",
            "greater than zero");

    [Fact]
    public void Validate_EverythingWrong_CollectsEveryError()
    {
        var options = new HealthCheckOptions
        {
            Endpoint = "ready",
            Interval = TimeSpan.FromSeconds(1),
            Timeout = TimeSpan.FromMilliseconds(1500),
            Jitter = TimeSpan.FromSeconds(2),
            FailureThreshold = 0,
            SuccessThreshold = -1,
            DefaultRetryAfter = TimeSpan.Zero,
        };

        var errors = options.Validate();

        Assert.Equal(6, errors.Count);
        var ex = Assert.Throws<ArgumentException>(options.ThrowIfInvalid);
        foreach (var field in new[] { "Endpoint", "Timeout", "Jitter", "FailureThreshold", "SuccessThreshold", "DefaultRetryAfter" })
        {
            Assert.Contains("HealthCheck:" + field, ex.Message, StringComparison.Ordinal);
        }

        Assert.Contains("(got 1.5s ≥ 1s)", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertSingleError(HealthCheckOptions options, string field, string fragment)
    {
        var error = Assert.Single(options.Validate());
        Assert.StartsWith(field + " ", error, StringComparison.Ordinal);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
        var ex = Assert.Throws<ArgumentException>(options.ThrowIfInvalid);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }
}
