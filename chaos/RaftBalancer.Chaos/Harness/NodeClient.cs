using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace RaftBalancer.Chaos.Harness;

/// <summary>Talks to one node's admin port: chaos control, Raft status, routing status and the register workload.</summary>
/// <remarks>The admin port may serve HTTP/1.1 or HTTP/2 only (cleartext, prior knowledge); the first call picks what works.</remarks>
internal sealed class NodeClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly Uri _admin;
    private Version? _version;

    public NodeClient(string adminUrl)
    {
        _admin = new Uri(adminUrl);
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1), PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

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
        var versions = _version is { } known ? [known] : new[] { HttpVersion.Version20, HttpVersion.Version11 };
        Exception? last = null;
        foreach (var version in versions)
        {
            using var request = new HttpRequestMessage(method, new Uri(_admin, path)) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact, Content = content };
            try
            {
                var response = await _http.SendAsync(request, cts.Token);
                _version ??= version;
                return response;
            }
            catch (Exception e) when (_version is null && version == HttpVersion.Version20 && !cancellationToken.IsCancellationRequested && e is HttpRequestException or IOException or OperationCanceledException)
            {
                // Not (yet) answering over HTTP/2 prior knowledge: try HTTP/1.1 before giving up on this call.
                last = e;
            }
            catch (Exception e) when (!throwOnTransport && e is HttpRequestException or OperationCanceledException or IOException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return null;
            }
        }

        if (throwOnTransport && last is not null)
        {
            throw last;
        }

        return null;
    }
}
