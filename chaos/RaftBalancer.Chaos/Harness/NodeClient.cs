using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace RaftBalancer.Chaos.Harness;

/// <summary>Talks to one node's admin port: chaos control, Raft status, routing status and the register workload.</summary>
/// <remarks>The admin port serves HTTP/2 only (cleartext, prior knowledge); every call uses it.</remarks>
internal sealed class NodeClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly Uri _admin;

    public NodeClient(string adminUrl)
    {
        _admin = new Uri(adminUrl);
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1), PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>What the last failed call saw (status code, timeout or transport error), for timeout messages; null when none failed.</summary>
    public string? LastFailure { get; private set; }

    public async Task<RaftSample?> GetRaftAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "/-/chaos/raft", null, timeout, cancellationToken);
        return response is { IsSuccessStatusCode: true } ? await response.Content.ReadFromJsonAsync<RaftSample>(Json, cancellationToken) : null;
    }

    public async Task<RoutingSample?> GetRoutingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "/-/status", null, timeout, cancellationToken);
        if (response is not { IsSuccessStatusCode: true })
        {
            return null;
        }

        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = doc.RootElement;
        var backends = root.GetProperty("backends").EnumerateArray()
            .Select(b => new BackendSample(
                b.GetProperty("id").GetString()!,
                b.GetProperty("url").GetString()!,
                b.GetProperty("weight").GetInt32(),
                b.GetProperty("routable").GetBoolean(),
                b.GetProperty("localHealth").GetString() ?? string.Empty))
            .ToList();
        return new RoutingSample(
            root.GetProperty("nodeId").GetString()!,
            root.GetProperty("stale").GetBoolean(),
            root.GetProperty("viewVersion").GetInt64(),
            root.GetProperty("policy").GetString() ?? string.Empty,
            backends);
    }

    public async Task SetLinkAsync(string to, string mode, int delayMs, CancellationToken cancellationToken)
    {
        using var body = JsonContent.Create(new { to, mode, delayMs });
        using var response = await SendAsync(HttpMethod.Post, "/-/chaos/links", body, TimeSpan.FromSeconds(2), cancellationToken);
        EnsureOk(response, "set link");
    }

    public async Task HealAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "/-/chaos/heal", null, TimeSpan.FromSeconds(2), cancellationToken);
        EnsureOk(response, "heal");
    }

    public async Task SetAckBeforeCommitAsync(bool enabled, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "/-/chaos/ack-before-commit?enabled=" + (enabled ? "true" : "false"), null, TimeSpan.FromSeconds(2), cancellationToken);
        EnsureOk(response, "ack-before-commit");
    }

    /// <summary>Writes a register; ok (acknowledged), fail (refused, nothing proposed) or unknown (timeout, lost answer).</summary>
    public async Task<Checking.OpOutcome> PutAsync(string key, string value, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            using var body = new StringContent(value, Encoding.UTF8, "text/plain");
            using var response = await SendAsync(HttpMethod.Put, "/-/chaos/kv/" + Uri.EscapeDataString(key), body, timeout, cancellationToken, throwOnTransport: true);
            return response!.StatusCode switch
            {
                HttpStatusCode.OK => Checking.OpOutcome.Ok,
                HttpStatusCode.ServiceUnavailable => Checking.OpOutcome.Fail,
                _ => Checking.OpOutcome.Unknown,
            };
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            // Never reached the node: nothing was proposed.
            return Checking.OpOutcome.Fail;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return Checking.OpOutcome.Unknown;
        }
    }

    /// <summary>Reads a register; (true, value-or-null) when answered, (false, null) when not.</summary>
    public async Task<(bool Answered, string? Value, long Revision)> GetAsync(string key, bool linearizable, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, "/-/chaos/kv/" + Uri.EscapeDataString(key) + (linearizable ? "?consistency=linearizable" : string.Empty), null, timeout, cancellationToken, throwOnTransport: true);
            if (response!.StatusCode == HttpStatusCode.NotFound)
            {
                return (true, null, 0);
            }

            if (!response.IsSuccessStatusCode)
            {
                return (false, null, 0);
            }

            var entry = await response.Content.ReadFromJsonAsync<KvEntry>(Json, cancellationToken);
            return (true, entry!.Value, entry.Revision);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return (false, null, 0);
        }
    }

    public async Task<IReadOnlyList<KvEntry>?> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "/-/chaos/kv?prefix=" + Uri.EscapeDataString("chaos/" + prefix), null, TimeSpan.FromSeconds(3), cancellationToken);
        return response is { IsSuccessStatusCode: true } ? await response.Content.ReadFromJsonAsync<List<KvEntry>>(Json, cancellationToken) : null;
    }

    public void Dispose() => _http.Dispose();

    private static void EnsureOk(HttpResponseMessage? response, string what)
    {
        if (response is not { IsSuccessStatusCode: true })
        {
            throw new InvalidOperationException($"chaos {what} failed: {(response is null ? "no answer" : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture))}");
        }
    }

    private async Task<HttpResponseMessage?> SendAsync(HttpMethod method, string path, HttpContent? content, TimeSpan timeout, CancellationToken cancellationToken, bool throwOnTransport = false)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);

        // The admin port speaks HTTP/2 only (cleartext, prior knowledge). Never fall back to HTTP/1.1: Kestrel answers an
        // HTTP/1.1 request on an h2-only endpoint with 400, and a client that took that answer as "HTTP/1.1 works" would
        // fail every later call (the cause of the harness's old "no agreed leader within 60 s" start-up failures).
        using var request = new HttpRequestMessage(method, new Uri(_admin, path)) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, Content = content };
        try
        {
            var response = await _http.SendAsync(request, cts.Token);
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
            {
                LastFailure = $"{method} {path}: HTTP {(int)response.StatusCode}";
            }

            return response;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            LastFailure = $"{method} {path}: {(cancellationToken.IsCancellationRequested ? "cancelled" : cts.IsCancellationRequested ? $"no answer within {timeout.TotalMilliseconds:0} ms" : e.GetType().Name + ": " + e.Message)}";
            if (throwOnTransport)
            {
                throw;
            }

            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }
    }
}
