namespace RaftBalancer.Node.Tests.Infrastructure;

/// <summary>
/// Load for the kill-a-backend tests: one worker per target GETs <c>/load</c> through that proxy in a loop until stopped,
/// counting the answered GETs and recording each failed one (a status other than 200, or an
/// <see cref="HttpRequestException"/>) with the time it started.
/// </summary>
internal sealed class GetLoad : IAsyncDisposable
{
    private readonly List<(TimeSpan At, string What)> _failures = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private int _total;

    private GetLoad(IEnumerable<(string ProxyUrl, string Label)> workers)
    {
        _workers = workers.Select(w => RunAsync(w.ProxyUrl, w.Label)).ToArray();
    }

    /// <summary>Time since the load started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>GETs answered so far (any status).</summary>
    public int Total => Volatile.Read(ref _total);

    /// <summary>The failed GETs so far: when each started, and its status code or exception message after the worker's label.</summary>
    public IReadOnlyList<(TimeSpan At, string What)> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>Starts one worker per entry.</summary>
    /// <param name="workers">The proxy each worker sends to, and the label its failures start with (empty for none).</param>
    /// <returns>The running load.</returns>
    public static GetLoad Start(IEnumerable<(string ProxyUrl, string Label)> workers) => new(workers);

    /// <summary>Stops the workers and waits for them.</summary>
    /// <returns>A task that completes once every worker ended.</returns>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(string proxyUrl, string label)
    {
        using var client = new HttpClient { BaseAddress = new Uri(proxyUrl), Timeout = TimeSpan.FromSeconds(10) };
        while (!_stop.IsCancellationRequested)
        {
            var startedAt = _clock.Elapsed;
            try
            {
                using var response = await client.GetAsync(new Uri("/load", UriKind.Relative));
                Interlocked.Increment(ref _total);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    lock (_failures)
                    {
                        _failures.Add((startedAt, label + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)));
                    }
                }
            }
            catch (HttpRequestException ex)
            {
                lock (_failures)
                {
                    _failures.Add((startedAt, label + ex.Message));
                }
            }
        }
    }
}
