namespace RaftBalancer.Core.Tests.Health;

[Trait("Category", "Integration")]
public sealed class HttpHealthProberIntegrationTests : IDisposable
{
    // Generous: these run on loaded CI boxes; only the timeout test uses a short one.
    private static readonly HealthCheckOptions Options = new() { Interval = TimeSpan.FromSeconds(30), Timeout = TimeSpan.FromSeconds(15) };

    private readonly HttpClient _client = new();

    public void Dispose() => _client.Dispose();

    private HttpHealthProber Prober(HealthCheckOptions? options = null) => new(_client, options ?? Options, TimeProvider.System);

    [Fact]
    public async Task ProbeAsync_200_HealthyWithDurationAndReadyPath()
    {
        await using var server = new TestHttpServer(_ => new TestHttpResponse(200));

        var result = await Prober().ProbeAsync(server.BaseAddress, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Healthy, result.Outcome);
        Assert.Equal(200, result.StatusCode);
        Assert.True(result.Duration > TimeSpan.Zero);
        Assert.Equal("/-/ready", Assert.Single(server.RequestTargets));
    }

    [Fact]
    public async Task ProbeAsync_BackendWithBasePath_RequestsBasePathPlusEndpoint()
    {
        await using var server = new TestHttpServer(_ => new TestHttpResponse(204));

        var result = await Prober().ProbeAsync(new Uri(server.BaseAddress, "svc/a"), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Healthy, result.Outcome);
        Assert.Equal("/svc/a/-/ready", Assert.Single(server.RequestTargets));
    }

    [Fact]
    public async Task ProbeAsync_500_UnhealthyWithStatus()
    {
        await using var server = new TestHttpServer(_ => new TestHttpResponse(500));

        var result = await Prober().ProbeAsync(server.BaseAddress, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unhealthy, result.Outcome);
        Assert.Equal(500, result.StatusCode);
    }

    [Fact]
    public async Task ProbeAsync_429WithDeltaSeconds_RateLimitedFor7Seconds()
    {
        await using var server = new TestHttpServer(_ => new TestHttpResponse(429, RetryAfter: "7"));

        var result = await Prober().ProbeAsync(server.BaseAddress, CancellationToken.None);

        Assert.Equal(ProbeOutcome.RateLimited, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
    }

    [Fact]
    public async Task ProbeAsync_429WithHttpDate_RateLimitedUntilThatDate()
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(60).ToString("R", CultureInfo.InvariantCulture);
        await using var server = new TestHttpServer(_ => new TestHttpResponse(429, RetryAfter: until));

        var result = await Prober().ProbeAsync(server.BaseAddress, CancellationToken.None);

        Assert.Equal(ProbeOutcome.RateLimited, result.Outcome);
        Assert.InRange(result.RetryAfter!.Value, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(61));
    }

    [Fact]
    public async Task ProbeAsync_SlowerThanTimeout_UnhealthyTimeoutWithDurationAtLeastTimeout()
    {
        var options = new HealthCheckOptions { Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromMilliseconds(200) };
        await using var server = new TestHttpServer(_ => new TestHttpResponse(200, Delay: TimeSpan.FromSeconds(30)));

        var result = await Prober(options).ProbeAsync(server.BaseAddress, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unhealthy, result.Outcome);
        Assert.Null(result.StatusCode);
        Assert.Contains("timeout", result.Error, StringComparison.Ordinal);
        Assert.True(result.Duration >= TimeSpan.FromMilliseconds(200), $"duration {result.Duration}");
    }

    [Fact]
    public async Task ProbeAsync_NothingListening_UnhealthyConnectionRefused()
    {
        var unused = new TcpListener(IPAddress.Loopback, 0);
        unused.Start();
        var port = ((IPEndPoint)unused.LocalEndpoint).Port;
        unused.Stop();
        unused.Dispose();

        var result = await Prober().ProbeAsync(new Uri($"http://127.0.0.1:{port}/"), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unhealthy, result.Outcome);
        Assert.Null(result.StatusCode);
        Assert.Equal("connection refused", result.Error);
    }

    [Fact]
    public async Task ProbeAsync_CallerCancels_ThrowsOperationCanceled()
    {
        await using var server = new TestHttpServer(_ => new TestHttpResponse(200, Delay: TimeSpan.FromSeconds(30)));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await Prober().ProbeAsync(server.BaseAddress, cts.Token));
    }
}
