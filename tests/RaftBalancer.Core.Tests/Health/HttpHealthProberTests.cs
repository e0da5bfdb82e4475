namespace RaftBalancer.Core.Tests.Health;

[Trait("Category", "Unit")]
public sealed class HttpHealthProberTests
{
    private static readonly Uri Backend = new("http://backend:8080/base");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly HealthCheckOptions _options = new() { Timeout = TimeSpan.FromSeconds(2), DefaultRetryAfter = TimeSpan.FromSeconds(30) };

    private (HttpHealthProber Prober, StubHttpHandler Handler) Create(
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send,
        bool useHttpClient = true)
    {
        var handler = new StubHttpHandler(send);
        HttpMessageInvoker client = useHttpClient ? new HttpClient(handler) : new HttpMessageInvoker(handler);
        return (new HttpHealthProber(client, _options, _time), handler);
    }

    private (HttpHealthProber Prober, StubHttpHandler Handler) Respond(Func<HttpResponseMessage> response) =>
        Create((_, _) => Task.FromResult(response()));

    /// <summary>Probes once through a handler whose send fails with <paramref name="thrown"/>; the probe must say Unhealthy.</summary>
    private async Task<ProbeResult> ProbeWhenSendFailsAsync(Exception thrown)
    {
        var (prober, _) = Create((_, _) => Task.FromException<HttpResponseMessage>(thrown));
        var result = await prober.ProbeAsync(Backend, CancellationToken.None);
        Assert.Equal(ProbeOutcome.Unhealthy, result.Outcome);
        return result;
    }

    private static HttpResponseMessage TooManyRequests(Action<HttpResponseMessage> configure)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        configure(response);
        return response;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ProbeAsync_2xx_HealthyWithDurationFromClock(bool useHttpClient)
    {
        var (prober, handler) = Create(
            (_, _) =>
            {
                _time.Advance(TimeSpan.FromMilliseconds(15));
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
            },
            useHttpClient);

        var result = await prober.ProbeAsync(Backend, CancellationToken.None);

        Assert.Equal(ProbeResult.Healthy(204, TimeSpan.FromMilliseconds(15)), result);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal(new Uri("http://backend:8080/base/-/ready"), request.RequestUri);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.MovedPermanently)]
    public async Task ProbeAsync_Non2xxStatus_UnhealthyWithStatus(HttpStatusCode status)
    {
        var (prober, _) = Respond(() => new HttpResponseMessage(status));

        var result = await prober.ProbeAsync(Backend, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unhealthy, result.Outcome);
        Assert.Equal((int)status, result.StatusCode);
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task ProbeAsync_429WithDeltaSeconds_RateLimitedWithThatDelay()
    {
        var (prober, _) = Respond(() => TooManyRequests(r => r.Headers.RetryAfter = new(TimeSpan.FromSeconds(7))));

        var result = await prober.ProbeAsync(Backend, CancellationToken.None);

        Assert.Equal(ProbeOutcome.RateLimited, result.Outcome);
        Assert.Equal(429, result.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
    }

    [Fact]
    public async Task ProbeAsync_429WithHttpDate_RetryAfterRelativeToClock()
    {
        var (prober, _) = Respond(() => TooManyRequests(r => r.Headers.TryAddWithoutValidation("Retry-After", "Wed, 01 Jan 2025 00:01:30 GMT")));

        var result = await prober.ProbeAsync(Backend, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(90), result.RetryAfter);
    }

    [Fact]
    public async Task ProbeAsync_429WithPastHttpDate_RetryAfterZero()
    {
        var (prober, _) = Respond(() => TooManyRequests(r => r.Headers.RetryAfter = new(_time.GetUtcNow() - TimeSpan.FromMinutes(1))));

        var result = await prober.ProbeAsync(Backend, CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, result.RetryAfter);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("soon")]
    [InlineData("-5")]
    public async Task ProbeAsync_429WithMissingOrInvalidRetryAfter_UsesDefault(string? header)
    {
        var (prober, _) = Respond(() => TooManyRequests(r =>
        {
            if (header is not null)
            {
                r.Headers.TryAddWithoutValidation("Retry-After", header);
            }
        }));

        var result = await prober.ProbeAsync(Backend, CancellationToken.None);

        Assert.Equal(ProbeOutcome.RateLimited, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(30), result.RetryAfter);
    }

    [Fact]
    public async Task ProbeAsync_NoAnswerWithinTimeout_UnhealthyTimeoutWithDurationAtLeastTimeout()
    {
        var (prober, _) = Create(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        var pending = prober.ProbeAsync(Backend, CancellationToken.None);
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(2));
        var result = await pending;

        Assert.Equal(ProbeOutcome.Unhealthy, result.Outcome);
        Assert.Null(result.StatusCode);
        Assert.Equal("timeout after 2s", result.Error);
        Assert.True(result.Duration >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ProbeAsync_HttpClientOwnTimeout_UnhealthyTimeout()
    {
        var result = await ProbeWhenSendFailsAsync(new TaskCanceledException("client timeout", new TimeoutException()));

        Assert.StartsWith("timeout", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused, "connection refused")]
    [InlineData(SocketError.ConnectionReset, "connection reset")]
    [InlineData(SocketError.TimedOut, "connect timed out")]
    [InlineData(SocketError.HostNotFound, "host not found")]
    [InlineData(SocketError.NetworkUnreachable, "host unreachable")]
    [InlineData(SocketError.AccessDenied, "socket error AccessDenied")]
    public async Task ProbeAsync_SocketError_UnhealthyWithClearError(SocketError error, string expected)
    {
        var result = await ProbeWhenSendFailsAsync(new HttpRequestException(HttpRequestError.ConnectionError, "boom", new SocketException((int)error)));

        Assert.StartsWith(expected, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpRequestError.NameResolutionError, "host not found")]
    [InlineData(HttpRequestError.ConnectionError, "connection error: boom")]
    [InlineData(HttpRequestError.SecureConnectionError, "TLS handshake failed: boom")]
    [InlineData(HttpRequestError.ResponseEnded, "response ended prematurely")]
    [InlineData(HttpRequestError.InvalidResponse, "invalid response: boom")]
    [InlineData(HttpRequestError.Unknown, "request failed (Unknown): boom")]
    public async Task ProbeAsync_HttpRequestError_UnhealthyWithClearError(HttpRequestError error, string expected)
    {
        var result = await ProbeWhenSendFailsAsync(new HttpRequestException(error, "boom"));

        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public async Task ProbeAsync_UnexpectedException_UnhealthyNeverThrows()
    {
        var (prober, _) = Create((_, _) => throw new InvalidOperationException("handler broke"));

        var result = await prober.ProbeAsync(Backend, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unhealthy, result.Outcome);
        Assert.Equal("InvalidOperationException: handler broke", result.Error);
    }

    [Fact]
    public async Task ProbeAsync_CallerTokenAlreadyCancelled_ThrowsWithoutSending()
    {
        var (prober, handler) = Respond(() => new HttpResponseMessage(HttpStatusCode.OK));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await prober.ProbeAsync(Backend, new CancellationToken(canceled: true)));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task ProbeAsync_CallerCancelsDuringProbe_Throws()
    {
        var (prober, _) = Create(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var cts = new CancellationTokenSource();

        var pending = prober.ProbeAsync(Backend, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
    }

    [Theory]
    [InlineData("http://h:1/base", "/-/ready", "http://h:1/base/-/ready")]
    [InlineData("http://h:1/base/", "/-/ready", "http://h:1/base/-/ready")]
    [InlineData("http://h:1/", "/-/ready", "http://h:1/-/ready")]
    [InlineData("http://h:1", "/-/ready", "http://h:1/-/ready")]
    [InlineData("https://h/a%20b?x=1#frag", "/health?full=1", "https://h/a%20b/health?full=1")]
    public void BuildProbeUri_BackendAndEndpoint_CombinesPaths(string backend, string endpoint, string expected) =>
        Assert.Equal(expected, HttpHealthProber.BuildProbeUri(new Uri(backend), endpoint).AbsoluteUri);

    [Fact]
    public void BuildProbeUri_BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => HttpHealthProber.BuildProbeUri(new Uri("/relative", UriKind.Relative), "/-/ready"));
        Assert.Throws<ArgumentNullException>(() => HttpHealthProber.BuildProbeUri(null!, "/-/ready"));
        Assert.Throws<ArgumentException>(() => HttpHealthProber.BuildProbeUri(Backend, ""));
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        using var client = new HttpClient();
        Assert.Throws<ArgumentNullException>(() => new HttpHealthProber(null!, _options, _time));
        Assert.Throws<ArgumentNullException>(() => new HttpHealthProber(client, null!, _time));
        Assert.Throws<ArgumentNullException>(() => new HttpHealthProber(client, _options, null!));
        var ex = Assert.Throws<ArgumentException>(
            () => new HttpHealthProber(client, new HealthCheckOptions { Timeout = TimeSpan.FromSeconds(10) }, _time));
        Assert.Contains("HealthCheck:Timeout must be less than HealthCheck:Interval (got 10s ≥ 5s)", ex.Message, StringComparison.Ordinal);
    }
}
