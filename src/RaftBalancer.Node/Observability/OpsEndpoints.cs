using System.Net;
using Microsoft.Net.Http.Headers;
using RaftBalancer.Node.Admin;

namespace RaftBalancer.Node.Observability;

/// <summary>The ops listener's own routes: the dashboard (embedded files), its JSON, <c>/-/ready</c> and <c>/-/status</c>; and who may read them.</summary>
/// <remarks>
/// Open to loopback clients. Any other client needs a <c>read</c> or <c>admin</c> token (<see cref="AdminTokens"/>:
/// <c>Admin:Token</c>/<c>RAFTBALANCER_ADMIN_TOKEN</c> or a line of <c>Admin:TokenFile</c>) as <c>Authorization: Bearer …</c>
/// or, for a browser, <c>?token=…</c> (the page passes it on to its JSON requests). With no token configured, only
/// loopback is served.
/// </remarks>
internal sealed class OpsEndpoints
{
    private const string ResourcePrefix = "Dashboard/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    private readonly ClusterSampler _sampler;
    private readonly AdminEndpoints _admin;
    private readonly AdminTokens _tokens;
    private readonly Dictionary<string, (byte[] Body, string ContentType)> _files = new(StringComparer.Ordinal);

    public OpsEndpoints(ClusterSampler sampler, AdminEndpoints admin, AdminTokens tokens)
    {
        _sampler = sampler;
        _admin = admin;
        _tokens = tokens;
        var assembly = typeof(OpsEndpoints).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var file = name[ResourcePrefix.Length..];
            _files["/dashboard/" + file] = (copy.ToArray(), ContentTypes.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream"));
        }
    }

    /// <summary>True when the caller may read: a loopback client, or one presenting a read or admin token.</summary>
    public bool IsAllowed(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote))
        {
            return true;
        }

        if (!_tokens.IsConfigured)
        {
            return false;
        }

        string? presented = null;
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = header["Bearer ".Length..].Trim();
        }
        else if (context.Request.Query.TryGetValue("token", out var query))
        {
            presented = query.ToString();
        }

        // Both scopes may read; an unknown token may not.
        return presented is { Length: > 0 } && _tokens.Find(presented) is not null;
    }

    /// <summary>Refuses callers that may not read; otherwise goes on (metrics, then <see cref="InvokeAsync"/>).</summary>
    public Task AuthorizeAsync(HttpContext context, RequestDelegate next)
    {
        if (IsAllowed(context))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return Task.CompletedTask;
    }

    /// <summary>Serves the dashboard and the JSON endpoints.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }

        switch (path)
        {
            case "/":
            case "/dashboard":
                context.Response.Redirect("/dashboard/" + context.Request.QueryString);
                return Task.CompletedTask;
            case "/dashboard/":
                path = "/dashboard/index.html";
                break;
            case "/-/dashboard.json":
                context.Response.Headers[HeaderNames.CacheControl] = "no-store";
                return context.Response.WriteAsJsonAsync(_sampler.Model(), DashboardJsonContext.Default.DashboardModel, contentType: null, context.RequestAborted);
            case "/-/status":
            case "/-/ready":
                return _admin.InvokeAsync(context);
        }

        if (_files.TryGetValue(path, out var file))
        {
            context.Response.ContentType = file.ContentType;
            context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
            context.Response.ContentLength = file.Body.Length;
            return context.Response.Body.WriteAsync(file.Body, context.RequestAborted).AsTask();
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
