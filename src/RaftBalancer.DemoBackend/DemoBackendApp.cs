using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace RaftBalancer.DemoBackend;

/// <summary>Builds the demo backend: a tiny HTTP server that names itself and can be told to fail, throttle or slow down.</summary>
/// <remarks>
/// <list type="bullet">
/// <item>Any path answers <c>{"status":"success","data":{"backend":"b1"}}</c> with header <c>X-Backend-Id</c>.</item>
/// <item><c>GET /-/ready</c> is the readiness path the nodes probe.</item>
/// <item><c>POST /-/control?mode=ok|fail|429&amp;retryAfter=5&amp;delayMs=50&amp;probeOnly=true&amp;forNode=node-2</c>
/// changes the behaviour at run time; <c>GET /-/control</c> shows it.</item>
/// <item>A request header <c>X-Demo-Delay-Ms</c> delays that one answer (holds a long request open).</item>
/// </list>
/// The same settings are accepted at start-up: <c>--id b1 --mode fail --delayMs 50 --probeOnly true --forNode node-2</c>.
/// </remarks>
public static class DemoBackendApp
{
    /// <summary>The header a node puts on its probes and forwarded requests to name itself.</summary>
    public const string NodeHeader = "X-RaftBalancer-Node";

    /// <summary>The response header naming the backend.</summary>
    public const string BackendHeader = "X-Backend-Id";

    /// <summary>The request header that delays one answer, in milliseconds.</summary>
    public const string DelayHeader = "X-Demo-Delay-Ms";

    /// <summary>The readiness path.</summary>
    public const string ReadyPath = "/-/ready";

    /// <summary>The path that echoes the request headers as JSON (to check forwarding headers).</summary>
    public const string HeadersPath = "/-/headers";

    /// <summary>The run-time control path.</summary>
    public const string ControlPath = "/-/control";

    private const int MaxDelayMs = 600_000;

    /// <summary>Creates the application from command-line arguments (<c>--urls</c> sets the listen address).</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The application, not started.</returns>
    /// <exception cref="ArgumentException">A start-up setting is invalid.</exception>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var options = new DemoBackendOptions();
        builder.Configuration.Bind(options);
        var initial = ToSettings(options.Mode, options.DelayMs, options.RetryAfter, options.ProbeOnly, options.ForNode, out var error);
        if (initial is null)
        {
            throw new ArgumentException(error, nameof(args));
        }

        var app = builder.Build();
        var state = new FaultState(initial);
        var id = options.Id;
        var okBody = Encoding.UTF8.GetBytes("{\"status\":\"success\",\"data\":{\"backend\":" + JsonSerializer.Serialize(id) + "}}");
        var failBody = Encoding.UTF8.GetBytes("{\"status\":\"error\",\"error\":\"injected failure\",\"data\":{\"backend\":" + JsonSerializer.Serialize(id) + "}}");
        var limitedBody = Encoding.UTF8.GetBytes("{\"status\":\"error\",\"error\":\"rate limited\",\"data\":{\"backend\":" + JsonSerializer.Serialize(id) + "}}");
        var readyBody = Encoding.UTF8.GetBytes("{\"status\":\"ready\",\"data\":{\"backend\":" + JsonSerializer.Serialize(id) + "}}");

        app.Run(async context =>
        {
            var request = context.Request;
            var response = context.Response;
            response.Headers[BackendHeader] = id;
            var path = request.Path.Value ?? "/";

            if (string.Equals(path, ControlPath, StringComparison.Ordinal))
            {
                await HandleControlAsync(context, state);
                return;
            }

            if (string.Equals(path, HeadersPath, StringComparison.Ordinal))
            {
                var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                await response.WriteAsJsonAsync(headers, DemoJsonContext.Default.DictionaryStringString, contentType: null, context.RequestAborted);
                return;
            }

            var isProbe = string.Equals(path, ReadyPath, StringComparison.Ordinal);
            var settings = state.Current;

            // Drain any request body so the connection stays reusable.
            if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                await request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            }

            var delay = isProbe ? 0 : settings.DelayMs;
            if (request.Headers.TryGetValue(DelayHeader, out var delayHeader)
                && int.TryParse(delayHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var requested))
            {
                delay = Math.Min(requested, MaxDelayMs);
            }

            if (delay > 0)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            response.ContentType = "application/json";
            if (settings.AppliesTo(isProbe, request.Headers[NodeHeader]))
            {
                if (settings.Mode == FaultMode.RateLimit)
                {
                    response.StatusCode = StatusCodes.Status429TooManyRequests;
                    response.Headers.RetryAfter = settings.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                    await response.Body.WriteAsync(limitedBody, context.RequestAborted);
                }
                else
                {
                    response.StatusCode = StatusCodes.Status500InternalServerError;
                    await response.Body.WriteAsync(failBody, context.RequestAborted);
                }

                return;
            }

            response.StatusCode = StatusCodes.Status200OK;
            await response.Body.WriteAsync(isProbe ? readyBody : okBody, context.RequestAborted);
        });

        return app;
    }

    /// <summary>Parses fault settings, naming the first bad field.</summary>
    /// <param name="mode">ok, fail or 429.</param>
    /// <param name="delayMs">Delay in milliseconds, 0 to 600000.</param>
    /// <param name="retryAfter">Retry-After seconds, 0 to 86400.</param>
    /// <param name="probeOnly">Fault the readiness path only.</param>
    /// <param name="forNode">Fault only callers naming this node; null or empty for everyone.</param>
    /// <param name="error">The problem, when the result is null.</param>
    /// <returns>The settings, or null when a field is invalid.</returns>
    public static FaultSettings? ToSettings(string? mode, int delayMs, int retryAfter, bool probeOnly, string? forNode, out string? error)
    {
        error = null;
        FaultMode parsed;
        switch (mode?.Trim().ToUpperInvariant())
        {
            case null or "" or "OK":
                parsed = FaultMode.Ok;
                break;
            case "FAIL":
                parsed = FaultMode.Fail;
                break;
            case "429" or "RATELIMIT" or "RATE-LIMIT":
                parsed = FaultMode.RateLimit;
                break;
            default:
                error = "mode: '" + mode + "' is not one of ok, fail, 429.";
                return null;
        }

        if (delayMs is < 0 or > MaxDelayMs)
        {
            error = "delayMs: must be between 0 and " + MaxDelayMs.ToString(CultureInfo.InvariantCulture) + " (got " + delayMs.ToString(CultureInfo.InvariantCulture) + ").";
            return null;
        }

        if (retryAfter is < 0 or > 86_400)
        {
            error = "retryAfter: must be between 0 and 86400 (got " + retryAfter.ToString(CultureInfo.InvariantCulture) + ").";
            return null;
        }

        return new FaultSettings(parsed, delayMs, retryAfter, probeOnly, string.IsNullOrWhiteSpace(forNode) ? null : forNode);
    }

    private static async Task HandleControlAsync(HttpContext context, FaultState state)
    {
        var response = context.Response;
        if (HttpMethods.IsPost(context.Request.Method))
        {
            var query = context.Request.Query;
            var current = state.Current;
            string? error = null;
            var delay = Int(query["delayMs"], "delayMs", current.DelayMs, ref error);
            var retryAfter = Int(query["retryAfter"], "retryAfter", current.RetryAfterSeconds, ref error);
            var probeOnly = Bool(query["probeOnly"], "probeOnly", ref error);
            var mode = query["mode"].Count > 0 ? query["mode"].ToString() : current.Mode switch
            {
                FaultMode.Fail => "fail",
                FaultMode.RateLimit => "429",
                _ => "ok",
            };
            var settings = error is null
                ? ToSettings(mode, delay, retryAfter, probeOnly, query["forNode"].ToString(), out error)
                : null;
            if (settings is null)
            {
                response.StatusCode = StatusCodes.Status400BadRequest;
                await response.WriteAsJsonAsync(new ControlError("error", error ?? "invalid input"), DemoJsonContext.Default.ControlError);
                return;
            }

            state.Set(settings);
        }
        else if (!HttpMethods.IsGet(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var now = state.Current;
        await response.WriteAsJsonAsync(
            new ControlView(now.Mode.ToString().ToLowerInvariant(), now.DelayMs, now.RetryAfterSeconds, now.ProbeOnly, now.ForNode),
            DemoJsonContext.Default.ControlView);
    }

    private static int Int(StringValues value, string field, int fallback, ref string? error)
    {
        if (value.Count == 0)
        {
            return fallback;
        }

        if (int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        error ??= field + ": '" + value.ToString() + "' is not an integer.";
        return fallback;
    }

    private static bool Bool(StringValues value, string field, ref string? error)
    {
        if (value.Count == 0)
        {
            return false;
        }

        if (bool.TryParse(value.ToString(), out var parsed))
        {
            return parsed;
        }

        error ??= field + ": '" + value.ToString() + "' is not true or false.";
        return false;
    }
}
