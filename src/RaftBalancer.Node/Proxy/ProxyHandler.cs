using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using RaftBalancer.Core.Balancing;
using RaftBalancer.Core.Breaking;
using RaftBalancer.Core.Routing;
using RaftBalancer.Node.Diagnostics;
using RaftBalancer.Node.Options;
using RaftBalancer.Node.Views;
using Yarp.ReverseProxy.Forwarder;

namespace RaftBalancer.Node.Proxy;

/// <summary>The data plane: pick a backend from the current view, track it, forward with YARP, feed the breaker, retry once when safe.</summary>
/// <remarks>
/// <para>
/// A request is retried once, on a different backend, only when it was never sent (the connection failed), or when
/// its method is idempotent and it has no body (so it can be replayed), and never once the response has started.
/// Retries in flight are capped by <see cref="RetryBudget"/>. No routable backend answers 503 with a JSON body and
/// <c>Retry-After</c>.
/// </para>
/// <para>The view is read once per attempt with a volatile read; nothing here locks.</para>
/// </remarks>
internal sealed class ProxyHandler(
    ViewPublisher views,
    ConnectionTracker tracker,
    IHttpForwarder forwarder,
    BackendHttpClient client,
    RetryBudget budget,
    IOptions<NodeOptions> options,
    NodeTelemetry telemetry,
    TimeProvider time,
    ILogger<ProxyHandler> logger,
    AccessLogQueue? accessLog = null)
{
    private readonly HttpMessageInvoker _client = client.Invoker;
    private readonly ForwarderRequestConfig _requestConfig = new() { ActivityTimeout = options.Value.ActivityTimeout, Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
    private readonly byte[] _noBackendBody = NoBackendBody(options.Value.Id, RetryAfterHeader(options.Value.NoBackendRetryAfter));
    private readonly string _retryAfter = RetryAfterHeader(options.Value.NoBackendRetryAfter);

    private static string RetryAfterHeader(TimeSpan retryAfter)
        => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static byte[] NoBackendBody(string nodeId, string retryAfterSeconds)
        => Encoding.UTF8.GetBytes("{\"status\":\"error\",\"error\":\"no healthy backends\",\"node\":\"" + nodeId + "\",\"retryAfterSeconds\":" + retryAfterSeconds + "}");

    /// <summary>Handles one client request on the proxy port.</summary>
    /// <param name="context">The request.</param>
    /// <returns>A task that completes when the response is done.</returns>
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        string? lastBackend = null;
        var attempts = 0;
        var counter = accessLog is null ? null : ResponseByteCounter.Attach(context);
        budget.RequestStarted();
        try
        {
            RoutableBackend? failed = null;
            var retrying = false;
            string? retryReason = null;
            try
            {
                while (true)
                {
                    var view = views.Current;
                    if (!TryPick(view, failed, out var backend, out var breakerLease))
                    {
                        if (failed is null)
                        {
                            telemetry.NoBackend.Add(1);
                            await WriteNoBackendAsync(context);
                        }

                        // else: keep the previous attempt's 502/504.
                        return;
                    }

                    attempts++;
                    lastBackend = backend.Id;

                    if (failed is not null)
                    {
                        context.Response.StatusCode = StatusCodes.Status200OK;
                        context.Features.Set<IForwarderErrorFeature>(null);
                    }

                    var lease = tracker.StartConnection(backend);
                    var attemptStarted = Stopwatch.GetTimestamp();
                    using var activity = StartAttemptActivity(backend.Id, attempts, retryReason);
                    ForwarderError error;
                    try
                    {
                        error = await forwarder.SendAsync(context, backend.Prefix, _client, _requestConfig, backend.Transformer);
                    }
                    catch
                    {
                        backend.Breaker.Release(breakerLease);
                        telemetry.RecordAttempt(backend.Id, 0, attemptStarted);
                        throw;
                    }
                    finally
                    {
                        tracker.FinishConnection(lease);
                    }

                    telemetry.RecordAttempt(backend.Id, error == ForwarderError.None ? context.Response.StatusCode : 0, attemptStarted);
                    if (activity is not null)
                    {
                        EndAttemptActivity(activity, context, error);
                    }

                    if (error == ForwarderError.None)
                    {
                        backend.Breaker.RecordResult(breakerLease, context.Response.StatusCode < 500);
                        return;
                    }

                    if (IsBackendFault(error))
                    {
                        backend.Breaker.RecordFailure(breakerLease);
                    }
                    else
                    {
                        backend.Breaker.Release(breakerLease);
                    }

                    var why = WhyNotRetry(context, error, failed is not null);
                    if (why is null && !budget.TryStartRetry())
                    {
                        why = "retry budget exhausted";
                        telemetry.RetryBudgetRefusals.Add(1);
                    }

                    if (why is not null)
                    {
                        if (IsBackendFault(error) && logger.IsEnabled(LogLevel.Warning))
                        {
                            var errorName = error.ToString();
                            Log.ForwardFailed(logger, context.Request.Method, context.Request.Path.Value ?? "/", backend.Id, errorName, why);
                        }

                        return;
                    }

                    retrying = true;
                    failed = backend;
                    retryReason = RetryReason(error);
                    telemetry.ProxyRetries.Add(1, new KeyValuePair<string, object?>("reason", retryReason));
                    if (logger.IsEnabled(LogLevel.Information))
                    {
                        var errorName = error.ToString();
                        Log.Retrying(logger, context.Request.Method, context.Request.Path.Value ?? "/", errorName, backend.Id);
                    }
                }
            }
            finally
            {
                if (retrying)
                {
                    budget.RetryFinished();
                }
            }
        }
        finally
        {
            budget.RequestFinished();
            if (accessLog is not null && counter is not null)
            {
                await counter.CompleteAsync();
                var response = context.Response;
                accessLog.TryEnqueue(new AccessLogEntry(
                    time.GetUtcNow(),
                    context.Connection.RemoteIpAddress,
                    context.Request.Method,
                    context.Request.Path.Value ?? "/",
                    response.StatusCode,
                    lastBackend,
                    attempts,
                    Stopwatch.GetElapsedTime(started),
                    counter.Written));
            }
        }
    }

    /// <summary>The <c>reason</c> of a retry: the forwarding error that caused it (cached strings, no formatting).</summary>
    private static string RetryReason(ForwarderError error) => error switch
    {
        ForwarderError.Request => "request",
        ForwarderError.RequestTimedOut => "request_timed_out",
        _ => "other",
    };

    /// <summary>Starts the span of one attempt (null when nobody traces); the HTTP client propagates it to the backend as <c>traceparent</c>.</summary>
    private Activity? StartAttemptActivity(string backendId, int attempt, string? retryReason)
    {
        var activity = telemetry.Source.StartActivity("proxy.forward", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("raftbalancer.backend", backendId);
            activity.SetTag("raftbalancer.attempt", attempt);
            if (retryReason is not null)
            {
                activity.SetTag("raftbalancer.retry_reason", retryReason);
            }
        }

        return activity;
    }

    private static void EndAttemptActivity(Activity activity, HttpContext context, ForwarderError error)
    {
        if (error == ForwarderError.None)
        {
            activity.SetTag("http.response.status_code", context.Response.StatusCode);
            activity.SetStatus(context.Response.StatusCode >= 500 ? ActivityStatusCode.Error : ActivityStatusCode.Unset);
        }
        else
        {
            activity.SetTag("error.type", error.ToString());
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    private static bool TryPick(NodeView view, RoutableBackend? exclude, out BackendRoute backend, out CircuitBreakerLease lease)
    {
        var routable = view.Routing.Routable;
        var tries = routable.Count + 1;
        for (var i = 0; i < tries; i++)
        {
            var pick = view.Policy.Pick(view.Routing);
            if (!pick.IsSuccess)
            {
                break;
            }

            if (TryAdmit(pick.Backend, exclude, out backend, out lease))
            {
                return true;
            }
        }

        // The policy keeps offering excluded or refusing backends: take any other that admits.
        for (var i = 0; i < routable.Count; i++)
        {
            if (TryAdmit(routable[i], exclude, out backend, out lease))
            {
                return true;
            }
        }

        backend = null!;
        lease = default;
        return false;
    }

    /// <summary>Admits a picked entry: not the excluded backend, and its breaker lets a request through.</summary>
    /// <remarks>Every entry of a node's view is a <see cref="BackendRoute"/> (<see cref="ViewPublisher"/> builds only those).</remarks>
    private static bool TryAdmit(RoutableBackend candidate, RoutableBackend? exclude, out BackendRoute backend, out CircuitBreakerLease lease)
    {
        backend = (BackendRoute)candidate;
        lease = default;
        return (exclude is null || !string.Equals(candidate.Id, exclude.Id, StringComparison.Ordinal))
            && backend.Breaker.TryAcquire(out lease);
    }

    /// <summary>Errors caused by the backend (count against its breaker), as opposed to the client going away.</summary>
    private static bool IsBackendFault(ForwarderError error) => error is ForwarderError.Request
        or ForwarderError.RequestTimedOut
        or ForwarderError.RequestBodyDestination
        or ForwarderError.ResponseBodyDestination
        or ForwarderError.ResponseHeaders;

    /// <summary>Returns why the request must not be resent, or null when a retry is safe.</summary>
    private static string? WhyNotRetry(HttpContext context, ForwarderError error, bool alreadyRetried)
    {
        if (alreadyRetried)
        {
            return "already retried once";
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return "client went away";
        }

        if (context.Response.HasStarted)
        {
            return "response already started";
        }

        if (error is not (ForwarderError.Request or ForwarderError.RequestTimedOut))
        {
            return "error after the request was sent";
        }

        if (error == ForwarderError.Request && NeverSent(context.Features.Get<IForwarderErrorFeature>()?.Exception))
        {
            return null;
        }

        if (!IsIdempotent(context.Request.Method))
        {
            return "non-idempotent method may have reached the backend";
        }

        return HasBody(context.Request) ? "request body is not replayable" : null;
    }

    private static bool NeverSent(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }:
                    return true;
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable }:
                    return true;
            }
        }

        return false;
    }

    private static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
        || HttpMethods.IsTrace(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private Task WriteNoBackendAsync(HttpContext context)
    {
        Log.NoRoutableBackend(logger, context.Request.Method, context.Request.Path.Value ?? "/");
        var response = context.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "application/json";
        response.Headers[HeaderNames.RetryAfter] = _retryAfter;
        response.Headers[HeaderNames.CacheControl] = "no-store";
        response.ContentLength = _noBackendBody.Length;
        return response.Body.WriteAsync(_noBackendBody, context.RequestAborted).AsTask();
    }
}
