using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Node.Admin;

/// <summary>Checks the bearer token on every call to <c>raftbalancer.v1.Admin</c> before the service sees it.</summary>
/// <remarks>
/// Fail-closed: a method not listed as a read is treated as a mutation. The token is compared as SHA-256 digests
/// of its UTF-8 bytes with <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the content nor the
/// length of the expected token leaks through timing. Missing or malformed header: UNAUTHENTICATED; wrong token:
/// PERMISSION_DENIED; no token configured: FAILED_PRECONDITION for mutations.
/// </remarks>
internal sealed class AdminAuthInterceptor : Interceptor
{
    private const string Scheme = "Bearer ";

    private static readonly FrozenSet<string> Reads = new[] { "GetClusterStatus", "ListBackends", "WatchView" }
        .Select(m => "/" + RaftBalancer.Contracts.V1.Admin.Descriptor.FullName + "/" + m)
        .ToFrozenSet(StringComparer.Ordinal);

    private readonly byte[]? _expected;
    private readonly bool _requireForReads;
    private readonly ILogger<AdminAuthInterceptor> _logger;

    public AdminAuthInterceptor(IOptions<AdminOptions> options, ILogger<AdminAuthInterceptor> logger)
    {
        _logger = logger;
        var value = options.Value;
        _expected = string.IsNullOrEmpty(value.Token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(value.Token));
        _requireForReads = value.RequireTokenForReads;
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
        if (isRead && !_requireForReads)
        {
            return;
        }

        if (_expected is null)
        {
            throw new RpcException(new Status(
                StatusCode.FailedPrecondition,
                "this node has no admin token configured, so it refuses every mutation; set Admin:Token in the node's configuration or the "
                + AdminOptions.TokenEnvironmentVariable + " environment variable (at least " + AdminOptions.MinTokenLength + " characters) and restart the node."));
        }

        var header = context.RequestHeaders.GetValue("authorization");
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, (isRead ? "reads" : "mutations") + " need the admin token as 'authorization: Bearer <token>' (rbctl: --token or " + AdminOptions.TokenEnvironmentVariable + ")."));
        }

        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the authorization header must be 'Bearer <token>'."));
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        if (!CryptographicOperations.FixedTimeEquals(presented, _expected))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "the admin token is wrong."));
        }
    }
}
