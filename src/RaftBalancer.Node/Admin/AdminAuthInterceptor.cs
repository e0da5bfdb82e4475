using System.Collections.Frozen;
using System.Net;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using RaftBalancer.Contracts.V1;
using RaftBalancer.Node.Options;

namespace RaftBalancer.Node.Admin;

/// <summary>Checks the bearer token and its scope on every call to <c>raftbalancer.v1.Admin</c> before the service sees it.</summary>
/// <remarks>
/// Fail-closed: a method not listed as a read is treated as a mutation and needs an <c>admin</c>-scope token. Reads need
/// a token (<c>read</c> or <c>admin</c>) unless the admin listener and the caller are both on loopback and
/// <c>Admin:RequireTokenForReads</c> is false. Tokens come from <see cref="AdminTokens"/> (constant-time comparison).
/// Missing, malformed or unknown token: UNAUTHENTICATED; a known token without the scope: PERMISSION_DENIED; no token
/// configured at all: FAILED_PRECONDITION.
/// </remarks>
internal sealed class AdminAuthInterceptor : Interceptor
{
    private const string Scheme = "Bearer ";

    private static readonly FrozenSet<string> Reads = new[] { "GetClusterStatus", "ListBackends", "WatchView" }
        .Select(m => "/" + RaftBalancer.Contracts.V1.Admin.Descriptor.FullName + "/" + m)
        .ToFrozenSet(StringComparer.Ordinal);

    private readonly AdminTokens _tokens;
    private readonly bool _readsOpenOnLoopback;
    private readonly ILogger<AdminAuthInterceptor> _logger;

    public AdminAuthInterceptor(AdminTokens tokens, IOptions<AdminOptions> options, IOptions<NodeOptions> node, ILogger<AdminAuthInterceptor> logger)
    {
        _tokens = tokens;
        _logger = logger;
        _readsOpenOnLoopback = !options.Value.RequireTokenForReads && ExposureCheck.IsLoopbackUrl(node.Value.AdminUrl);
    }

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    /// <summary>Throws the status the call deserves, or returns when it may proceed.</summary>
    /// <param name="context">The call.</param>
    /// <exception cref="RpcException">UNAUTHENTICATED, PERMISSION_DENIED or FAILED_PRECONDITION.</exception>
    internal void Authorize(ServerCallContext context)
    {
        try
        {
            Check(context);
        }
        catch (RpcException ex)
        {
            Log.AdminRefused(_logger, context.Method, context.Peer, ex.StatusCode.ToString());
            throw;
        }
    }

    private void Check(ServerCallContext context)
    {
        var isRead = Reads.Contains(context.Method);
        if (isRead && _readsOpenOnLoopback && context.GetHttpContext().Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote))
        {
            return;
        }

        if (!_tokens.IsConfigured)
        {
            throw new RpcException(new Status(
                StatusCode.FailedPrecondition,
                "this node has no admin token configured, so it refuses every " + (isRead ? "read from off this machine" : "mutation")
                + "; set Admin:Token (or the " + AdminOptions.TokenEnvironmentVariable + " environment variable, at least "
                + AdminOptions.MinTokenLength + " characters) or Admin:TokenFile in the node's configuration and restart the node."));
        }

        var header = context.RequestHeaders.GetValue("authorization");
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, (isRead ? "reads" : "mutations") + " need a token as 'authorization: Bearer <token>' (rbctl: --token or " + AdminOptions.TokenEnvironmentVariable + ")."));
        }

        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the authorization header must be 'Bearer <token>'."));
        }

        var scope = _tokens.Find(header[Scheme.Length..].Trim());
        if (scope is null)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the token is not one this node accepts."));
        }

        if (!isRead && scope != TokenScope.Admin)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "this token has the read scope; mutations need an admin-scope token."));
        }
    }
}
