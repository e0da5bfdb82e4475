using System.Diagnostics;
using System.Text;
using RaftBalancer.Chaos.Faults;
using RaftBalancer.State;
using RaftBalancer.State.Raft;

namespace RaftBalancer.Chaos.Node;

/// <summary>The chaos harness's control surface on the admin port (<c>/-/chaos/*</c>), served by this test-only host and never by the production node.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>GET /-/chaos/raft</c>: term, leader, indexes, link faults, memory.</item>
/// <item><c>POST /-/chaos/links</c> <c>{"to":"node-2","mode":"drop|refuse|delay|ok","delayMs":50}</c>; <c>POST /-/chaos/heal</c> heals every link.</item>
/// <item><c>POST /-/chaos/ack-before-commit?enabled=true</c>: the deliberately broken variant.</item>
/// <item><c>PUT /-/chaos/kv/{key}</c> (body: the value), <c>GET /-/chaos/kv/{key}?consistency=linearizable</c>,
/// <c>GET /-/chaos/kv?prefix=chaos/</c>: a register workload through the same store path as admin writes, under <c>chaos/</c> only.</item>
/// </list>
/// A write fails fast (503, nothing proposed) when the node knows no leader, as an admin write should; a write that
/// was proposed but not confirmed answers 504 (outcome unknown).
/// </remarks>
internal sealed class ChaosEndpoints
{
    private const string Prefix = "/-/chaos";
    private const string KeyPrefix = "chaos/";

    private readonly RaftStateStore _store;
    private readonly ChaosFaults _faults;
    private volatile bool _ackBeforeCommit;

    public ChaosEndpoints(RaftStateStore store, ChaosFaults faults, bool ackBeforeCommit)
    {
        _store = store;
        _faults = faults;
        _ackBeforeCommit = ackBeforeCommit;
    }

    /// <summary>Serves <c>/-/chaos/*</c> on the admin port of a Raft node; a node with another store gets no routes.</summary>
    /// <param name="app">The node, built and not started.</param>
    /// <param name="adminPort">Its admin port.</param>
    /// <param name="faults">The link faults its store was started with.</param>
    public static void Map(WebApplication app, int adminPort, ChaosFaults faults)
    {
        if (app.Services.GetService<IStateStore>() is not RaftStateStore store)
        {
            return;
        }

        var options = new ChaosNodeOptions();
        app.Configuration.GetSection(ChaosNodeOptions.SectionName).Bind(options);
        var endpoints = new ChaosEndpoints(store, faults, options.AckBeforeCommit);
        app.Use(next => context => context.Connection.LocalPort == adminPort && Matches(context) ? endpoints.InvokeAsync(context) : next(context));
    }

    public static bool Matches(HttpContext context) => context.Request.Path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value![Prefix.Length..];
        var token = context.RequestAborted;
        if (path == "/raft" && HttpMethods.IsGet(request.Method))
        {
            using var process = Process.GetCurrentProcess();
            var leadership = _store.Leadership;
            var status = new ChaosRaftStatus(
                _store.NodeId,
                leadership.Term,
                leadership.IsLeader,
                leadership.LeaderId,
                _store.CommitIndex,
                _store.Revision,
                _faults.Links.ToDictionary(l => l.Key, l => l.Value.Mode.ToString().ToLowerInvariant() + (l.Value.Mode == LinkMode.Delay ? ":" + l.Value.DelayMs : string.Empty), StringComparer.Ordinal),
                process.WorkingSet64,
                GC.GetTotalMemory(false));
            await context.Response.WriteAsJsonAsync(status, ChaosJsonContext.Default.ChaosRaftStatus, contentType: null, token);
            return;
        }

        if (path == "/links" && HttpMethods.IsPost(request.Method))
        {
            var link = await request.ReadFromJsonAsync(ChaosJsonContext.Default.ChaosLinkRequest, token);
            if (link?.To is not { Length: > 0 } to || !Enum.TryParse<LinkMode>(link.Mode, ignoreCase: true, out var mode) || link.DelayMs < 0)
            {
                await BadRequestAsync(context, "expected {\"to\": peer id, \"mode\": ok|drop|refuse|delay, \"delayMs\": >= 0}");
                return;
            }

            _faults.Set(to, new LinkFault(mode, link.DelayMs));
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (path == "/heal" && HttpMethods.IsPost(request.Method))
        {
            _faults.HealAll();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (path == "/ack-before-commit" && HttpMethods.IsPost(request.Method))
        {
            _ackBeforeCommit = string.Equals(request.Query["enabled"], "true", StringComparison.OrdinalIgnoreCase);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (path == "/kv" && HttpMethods.IsGet(request.Method))
        {
            var prefix = request.Query["prefix"].ToString();
            var entries = await _store.ListAsync(prefix.StartsWith(KeyPrefix, StringComparison.Ordinal) ? prefix : KeyPrefix, ReadConsistency.Local, token);
            await context.Response.WriteAsJsonAsync(entries.Select(ToJson).ToList(), ChaosJsonContext.Default.ListChaosKvEntry, contentType: null, token);
            return;
        }

        if (path.StartsWith("/kv/", StringComparison.Ordinal))
        {
            var key = KeyPrefix + Uri.UnescapeDataString(path["/kv/".Length..]);
            if (HttpMethods.IsPut(request.Method))
            {
                await WriteAsync(context, key);
                return;
            }

            if (HttpMethods.IsGet(request.Method))
            {
                await ReadAsync(context, key);
                return;
            }
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private static ChaosKvEntry ToJson(StateEntry entry) => new(entry.Key, Encoding.UTF8.GetString(entry.Value.Span), entry.Revision);

    private static Task BadRequestAsync(HttpContext context, string error)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(error, context.RequestAborted);
    }

    private async Task WriteAsync(HttpContext context, string key)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var value = Encoding.UTF8.GetBytes(await reader.ReadToEndAsync(context.RequestAborted));
        if (_ackBeforeCommit)
        {
            // The broken variant: propose in the background and acknowledge now.
            _ = Task.Run(async () =>
            {
                try
                {
                    await _store.SetAsync(key, value);
                }
                catch (StateStoreException)
                {
                    // Lost: exactly the bug this variant exists to show.
                }
            });
            await AnswerAsync(context, StatusCodes.Status200OK, true, null);
            return;
        }

        if (_store.LeaderId is null)
        {
            await AnswerAsync(context, StatusCodes.Status503ServiceUnavailable, false, "no leader known: this node is cut off from the majority or an election is in progress");
            return;
        }

        try
        {
            await _store.SetAsync(key, value, cancellationToken: context.RequestAborted);
            await AnswerAsync(context, StatusCodes.Status200OK, true, null);
        }
        catch (StateStoreUnavailableException e)
        {
            // Proposed or forwarded but not confirmed: it may still commit.
            await AnswerAsync(context, StatusCodes.Status504GatewayTimeout, false, e.Message);
        }
    }

    private async Task ReadAsync(HttpContext context, string key)
    {
        var consistency = string.Equals(context.Request.Query["consistency"], "linearizable", StringComparison.OrdinalIgnoreCase)
            ? ReadConsistency.Linearizable
            : ReadConsistency.Local;
        try
        {
            var entry = await _store.GetAsync(key, consistency, context.RequestAborted);
            if (entry is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await context.Response.WriteAsJsonAsync(ToJson(entry), ChaosJsonContext.Default.ChaosKvEntry, contentType: null, context.RequestAborted);
        }
        catch (StateStoreUnavailableException e)
        {
            await AnswerAsync(context, StatusCodes.Status503ServiceUnavailable, false, e.Message);
        }
    }

    private Task AnswerAsync(HttpContext context, int status, bool acknowledged, string? error)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ChaosWriteResult(_store.NodeId, acknowledged, error), ChaosJsonContext.Default.ChaosWriteResult, contentType: null, context.RequestAborted);
    }
}
