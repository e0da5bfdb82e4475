using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using RaftBalancer.Node.Diagnostics;
using RaftBalancer.Node.Options;

namespace RaftBalancer.Node.Admin;

/// <summary>One <c>admin.{Method}</c> span per admin API call (refused calls included: it runs before the token check).</summary>
/// <remarks>
/// Tags follow OpenTelemetry's RPC conventions: <c>rpc.system</c> <c>grpc</c>, <c>rpc.service</c>, <c>rpc.method</c>
/// and <c>rpc.grpc.status_code</c> (the numeric gRPC status), and <c>raftbalancer.node</c>; a call that fails has the span's status set to error
/// with the status code's name. A write the call makes is a child <c>raft.propose</c> span. Without a listener on
/// <see cref="NodeTelemetry.ActivitySourceName"/> no span is created.
/// </remarks>
internal sealed class AdminTracingInterceptor(NodeTelemetry telemetry, IOptions<NodeOptions> node) : Interceptor
{
    private readonly string _nodeId = node.Value.Id;

    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var activity = Start(context);
        try
        {
            var response = await continuation(request, context);
            Finish(activity, StatusCode.OK);
            return response;
        }
        catch (RpcException e)
        {
            Finish(activity, e.StatusCode);
            throw;
        }
        catch (Exception) when (Finish(activity, StatusCode.Unknown))
        {
            throw;
        }
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var activity = Start(context);
        try
        {
            await continuation(request, responseStream, context);
            Finish(activity, StatusCode.OK);
        }
        catch (RpcException e)
        {
            Finish(activity, e.StatusCode);
            throw;
        }
        catch (Exception) when (Finish(activity, context.CancellationToken.IsCancellationRequested ? StatusCode.Cancelled : StatusCode.Unknown))
        {
            throw;
        }
    }

    private Activity? Start(ServerCallContext context)
    {
        // context.Method is "/package.Service/Method".
        var method = context.Method;
        var slash = method.LastIndexOf('/');
        var name = method[(slash + 1)..];
        var activity = telemetry.Source.StartActivity("admin." + name, ActivityKind.Server);
        if (activity is not null)
        {
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", method[1..Math.Max(1, slash)]);
            activity.SetTag("rpc.method", name);
            activity.SetTag("raftbalancer.node", _nodeId);
        }

        return activity;
    }

    /// <summary>Records the outcome; returns false so it can sit in an exception filter without catching.</summary>
    private static bool Finish(Activity? activity, StatusCode code)
    {
        if (activity is not null)
        {
            activity.SetTag("rpc.grpc.status_code", (int)code);
            if (code != StatusCode.OK)
            {
                activity.SetStatus(ActivityStatusCode.Error, code.ToString());
            }
        }

        return false;
    }
}
