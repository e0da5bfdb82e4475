using Microsoft.Extensions.Options;
using RaftBalancer.Core.Balancing;
using RaftBalancer.Node.Options;
using RaftBalancer.Node.Proxy;
using RaftBalancer.Node.Store;
using RaftBalancer.Node.Views;

namespace RaftBalancer.Node.Admin;

/// <summary>The admin port's plain HTTP endpoints: <c>GET /-/status</c> (JSON) and <c>GET /-/ready</c>.</summary>
internal sealed class AdminEndpoints
{
    private readonly ViewPublisher _views;
    private readonly ConnectionTracker _tracker;
    private readonly RetryBudget _budget;
    private readonly IConsensusStatus _consensus;
    private readonly NodeOptions _options;

    public AdminEndpoints(ViewPublisher views, ConnectionTracker tracker, RetryBudget budget, IConsensusStatus consensus, IOptions<NodeOptions> options)
    {
        _views = views;
        _tracker = tracker;
        _budget = budget;
        _consensus = consensus;
        _options = options.Value;
    }

    /// <summary>Builds the current status.</summary>
    /// <returns>The status.</returns>
    public NodeStatus Status()
    {
        var view = _views.Current;
        var live = _tracker.Snapshot();
        return new NodeStatus(
            _options.Id,
            _options.StateStore,
            _consensus.Role,
            _consensus.LeaderId,
            _consensus.IsStale,
            view.Routing.Version,
            view.BuiltAt,
            view.Policy.Name,
            _budget.Active,
            _budget.Retried,
            _budget.Refused,
            [.. view.Backends.Select(s => NodeStatusBackend.From(s, live.GetValueOrDefault(s.Id)))]);
    }

    /// <summary>Handles a request on the admin port.</summary>
    /// <param name="context">The request.</param>
    /// <returns>A task that completes with the response.</returns>
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }

        switch (path)
        {
            case "/-/status":
                return context.Response.WriteAsJsonAsync(Status(), AdminJsonContext.Default.NodeStatus, contentType: null, context.RequestAborted);
            case "/-/ready":
                context.Response.ContentType = "text/plain";
                return context.Response.WriteAsync("ready\n", context.RequestAborted);
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
        }
    }
}
