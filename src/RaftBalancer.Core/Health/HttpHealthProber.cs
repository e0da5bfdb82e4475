using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RaftBalancer.Core.Health;

/// <summary>Probes a backend with <c>GET {backend}{endpoint}</c> and classifies the answer.</summary>
/// <remarks>
/// <para>
/// 2xx is healthy; 429 is rate limited, with the retry-after taken from the <c>Retry-After</c> header
/// (delta-seconds, or an HTTP-date relative to the injected clock; missing or invalid →
/// <see cref="HealthCheckOptions.DefaultRetryAfter"/>); every other status, a timeout and any transport
/// error are unhealthy. The body is never read: the request completes at the response headers and the
/// response is disposed at once.
/// </para>
/// <para>
/// <see cref="ProbeAsync"/> never throws for backend behaviour; it throws
/// <see cref="OperationCanceledException"/> only when the caller's token is cancelled. The instance is
/// stateless apart from its settings and may be shared by concurrent probes.
/// </para>
/// </remarks>
public sealed class HttpHealthProber
{
    private readonly HttpMessageInvoker _client;
    private readonly TimeProvider _timeProvider;
    private readonly string _endpoint;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _defaultRetryAfter;

    /// <summary>Creates a prober.</summary>
    /// <param name="client">
    /// The client to send probes with. An <see cref="HttpClient"/> is used with
    /// <see cref="HttpCompletionOption.ResponseHeadersRead"/>; its own <see cref="HttpClient.Timeout"/>
    /// should not be shorter than <see cref="HealthCheckOptions.Timeout"/>.
    /// </param>
    /// <param name="options">Valid health check options; the endpoint, timeout and default retry-after are copied.</param>
    /// <param name="timeProvider">The clock for the timeout, the duration and HTTP-date retry-afters.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public HttpHealthProber(HttpMessageInvoker client, HealthCheckOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.ThrowIfInvalid();
        _client = client;
        _timeProvider = timeProvider;
        _endpoint = options.Endpoint;
        _timeout = options.Timeout;
        _defaultRetryAfter = options.EffectiveDefaultRetryAfter;
    }

    /// <summary>Builds the probe address: the backend's scheme, authority and path, then the endpoint.</summary>
    /// <param name="backend">An absolute backend address, e.g. <c>http://h:1/base</c>; its query and fragment are ignored.</param>
    /// <param name="endpoint">The probe path, starting with '/', e.g. <c>/-/ready</c>.</param>
    /// <returns>For the examples above, <c>http://h:1/base/-/ready</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="backend"/> is not absolute.</exception>
    public static Uri BuildProbeUri(Uri backend, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        if (!backend.IsAbsoluteUri)
        {
            throw new ArgumentException("The backend address must be absolute (got '" + backend.OriginalString + "').", nameof(backend));
        }

        // GetLeftPart keeps scheme, authority and the escaped path, dropping query and fragment; trimming
        // the trailing '/' avoids "//-/ready" for "http://h:1/" and for "http://h:1/base/".
        var basePath = backend.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(basePath + endpoint, UriKind.Absolute);
    }

    /// <summary>Sends one probe and classifies the answer.</summary>
    /// <param name="backend">The absolute backend address.</param>
    /// <param name="cancellationToken">Cancels the probe; the only source of exceptions from this method.</param>
    /// <returns>The probe result, with its duration.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<ProbeResult> ProbeAsync(Uri backend, CancellationToken cancellationToken)
    {
        var uri = BuildProbeUri(backend, _endpoint);
        cancellationToken.ThrowIfCancellationRequested();

        using var timeoutCts = new CancellationTokenSource(_timeout, _timeProvider);
        using var linkedCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        var started = _timeProvider.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = _client is HttpClient httpClient
                ? await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linkedCts.Token)
                : await _client.SendAsync(request, linkedCts.Token);
            var duration = _timeProvider.GetElapsedTime(started);
            return Classify(response, duration);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our timeout, or the HttpClient's own: either way the backend did not answer in time.
            var duration = _timeProvider.GetElapsedTime(started);
            if (duration < _timeout && timeoutCts.IsCancellationRequested)
            {
                duration = _timeout;
            }

            return ProbeResult.Failed("timeout after " + DurationText.Format(_timeout), duration);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (HttpRequestException ex)
        {
            return ProbeResult.Failed(Describe(ex), _timeProvider.GetElapsedTime(started));
        }
#pragma warning disable CA1031 // A misbehaving backend or handler must cost a failed probe, never the prober loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ProbeResult.Failed(ex.GetType().Name + ": " + ex.Message, _timeProvider.GetElapsedTime(started));
        }
    }

    private ProbeResult Classify(HttpResponseMessage response, TimeSpan duration)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return ProbeResult.Healthy(status, duration);
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return ProbeResult.RateLimited(RetryAfter(response), duration);
        }

        return ProbeResult.UnhealthyStatus(status, duration);
    }

    private TimeSpan RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is TimeSpan delta)
        {
            return delta;
        }

        if (header?.Date is DateTimeOffset date)
        {
            var remaining = date - _timeProvider.GetUtcNow();
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }

        return _defaultRetryAfter;
    }

    private static string Describe(HttpRequestException ex)
    {
        if (FindSocketException(ex) is SocketException socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.ConnectionReset => "connection reset",
                SocketError.TimedOut => "connect timed out",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
                SocketError.HostUnreachable or SocketError.NetworkUnreachable => "host unreachable",
                _ => "socket error " + socket.SocketErrorCode.ToString() + ": " + socket.Message,
            };
        }

        return ex.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "host not found",
            HttpRequestError.ConnectionError => "connection error: " + ex.Message,
            HttpRequestError.SecureConnectionError => "TLS handshake failed: " + ex.Message,
            HttpRequestError.ResponseEnded => "response ended prematurely",
            HttpRequestError.InvalidResponse => "invalid response: " + ex.Message,
            _ => string.Create(CultureInfo.InvariantCulture, $"request failed ({ex.HttpRequestError}): {ex.Message}"),
        };
    }

    private static SocketException? FindSocketException(Exception ex)
    {
        for (Exception? current = ex; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket)
            {
                return socket;
            }
        }

        return null;
    }
}
