using Grpc.Core;
using Grpc.Net.Client;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Cli.Connection;

/// <summary>Calls the admin API on the first node that answers.</summary>
/// <remarks>
/// Nodes are tried in the order given. A node that cannot be reached (connection refused or timed out,
/// or a node answering <c>UNAVAILABLE</c> because it has no quorum) is skipped; any other status is the
/// cluster's answer and ends the command. A read that times out on one node is retried on the next; a
/// write that times out is not, because it may still commit. A node whose TLS handshake fails (its certificate is not
/// trusted) is skipped like an unreachable one: nothing was sent to it.
/// </remarks>
/// <param name="settings">Nodes, token and per-attempt timeout.</param>
/// <param name="timeProvider">The clock for deadlines.</param>
internal sealed partial class AdminConnector(ConnectionSettings settings, TimeProvider timeProvider)
{
    private readonly ConnectionSettings _settings = settings ?? throw new ArgumentNullException(nameof(settings));
    private readonly TimeProvider _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));

    /// <summary>Makes one unary call on the first node that answers.</summary>
    /// <typeparam name="TReply">The reply message.</typeparam>
    /// <param name="call">Starts the call on a client with the given options.</param>
    /// <param name="idempotent">True for reads: a timed-out attempt moves on to the next node.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The reply and the node that gave it.</returns>
    /// <exception cref="NodeRejectedException">A node answered with an error status.</exception>
    /// <exception cref="NodesUnreachableException">No node answered.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<AdminReply<TReply>> CallAsync<TReply>(
        Func<Admin.AdminClient, CallOptions, AsyncUnaryCall<TReply>> call,
        bool idempotent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var failures = new List<NodeFailure>(_settings.Nodes.Count);
        foreach (var node in _settings.Nodes)
        {
            using var channel = CreateChannel(node);
            var client = new Admin.AdminClient(channel);
            var deadline = _timeProvider.GetUtcNow().UtcDateTime + _settings.Timeout;
            try
            {
                using var pending = call(client, CreateCallOptions(deadline, cancellationToken));
                var reply = await pending.ResponseAsync;
                return new AdminReply<TReply>(node, reply);
            }
            catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The call was cancelled.", ex, cancellationToken);
            }
            catch (RpcException ex) when (IsUnreachable(ex.StatusCode, idempotent) || IsTlsFailure(ex.Status.DebugException))
            {
                failures.Add(new NodeFailure(node, ex.StatusCode, Describe(ex)));
            }
            catch (RpcException ex)
            {
                throw new NodeRejectedException(node, ex.Status, ex);
            }
        }

        throw new NodesUnreachableException(failures);
    }

    private static bool IsUnreachable(StatusCode code, bool idempotent) =>
        code == StatusCode.Unavailable || (idempotent && code == StatusCode.DeadlineExceeded);

    private string Describe(RpcException ex)
    {
        // For transport failures the detail is generic ("Error connecting to subchannel."); the cause is in the debug exception.
        var cause = ex.Status.DebugException?.InnerException?.Message ?? ex.Status.DebugException?.Message;
        var text = string.IsNullOrEmpty(cause) || ex.Status.Detail.Contains(cause, StringComparison.Ordinal)
            ? ex.Status.Detail
            : $"{ex.Status.Detail} ({cause})";
        return IsTlsFailure(ex.Status.DebugException) ? text + " " + TlsHint() : text;
    }

    internal static bool IsTlsFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

    private string TlsHint() => _settings.Trust is null
        ? $"TLS: the node's certificate is not trusted; pass --ca <file> (or set ${CliConsole.CaVariable}) with the cluster CA, e.g. certs/ca.crt."
        : $"TLS: the node's certificate does not chain to the CA in {_settings.Trust.Path}, or does not name the host dialled.";

    private GrpcChannel CreateChannel(Uri node)
    {
        var connectTimeout = _settings.Timeout < ConnectionSettings.MaxConnectTimeout ? _settings.Timeout : ConnectionSettings.MaxConnectTimeout;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            EnableMultipleHttp2Connections = true,
        };
        if (_settings.Trust is not null && node.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions = _settings.Trust.ClientOptions();
        }

        // The channel owns the handler and disposes it with itself.
        return GrpcChannel.ForAddress(node, new GrpcChannelOptions { HttpHandler = handler });
    }

    private CallOptions CreateCallOptions(DateTime? deadline, CancellationToken cancellationToken)
    {
        Metadata? headers = null;
        if (!string.IsNullOrEmpty(_settings.Token))
        {
            headers = new Metadata { { "authorization", "Bearer " + _settings.Token } };
        }

        return new CallOptions(headers: headers, deadline: deadline, cancellationToken: cancellationToken);
    }
}
