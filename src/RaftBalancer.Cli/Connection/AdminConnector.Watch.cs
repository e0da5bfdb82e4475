using Grpc.Core;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Cli.Connection;

internal sealed partial class AdminConnector
{
    /// <summary>Streams view updates from the first node that answers, moving to the next node if the stream breaks.</summary>
    /// <param name="onUpdate">Called for every update, with the node that sent it.</param>
    /// <param name="cancellationToken">Stops watching; the method then returns normally.</param>
    /// <returns>A task that completes when the server ends the stream or the token is cancelled.</returns>
    /// <exception cref="NodeRejectedException">A node refused the watch.</exception>
    /// <exception cref="NodesUnreachableException">Every node was tried and none is streaming.</exception>
    /// <remarks>
    /// The first update must arrive within the per-attempt timeout (a node sends its current view at once);
    /// after that the stream has no deadline. Each node is tried at most once per invocation, so a watch
    /// survives the loss of all but one node and then ends with <see cref="NodesUnreachableException"/>.
    /// </remarks>
    public async Task WatchAsync(Action<Uri, ViewUpdate> onUpdate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onUpdate);
        var failures = new List<NodeFailure>(_settings.Nodes.Count);
        foreach (var node in _settings.Nodes)
        {
            using var channel = CreateChannel(node);
            var client = new Admin.AdminClient(channel);
            using var firstUpdate = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var firstTimeout = new CancellationTokenSource(_settings.Timeout, _timeProvider);
            using var registration = firstTimeout.Token.Register(firstUpdate.Cancel);
            try
            {
                using var call = client.WatchView(new WatchViewRequest(), CreateCallOptions(deadline: null, cancellationToken));
                if (!await call.ResponseStream.MoveNext(firstUpdate.Token))
                {
                    return;
                }

                // The first-update deadline has done its job; an idle watch is normal from here on.
                firstTimeout.CancelAfter(Timeout.InfiniteTimeSpan);
                onUpdate(node, call.ResponseStream.Current);
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    onUpdate(node, call.ResponseStream.Current);
                }

                return;
            }
            catch (Exception ex) when ((ex is RpcException or OperationCanceledException) && cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when ((ex is RpcException or OperationCanceledException) && firstTimeout.IsCancellationRequested)
            {
                failures.Add(new NodeFailure(node, StatusCode.DeadlineExceeded, $"no view within {_settings.Timeout.TotalSeconds:0.###}s."));
            }
            catch (RpcException ex) when (IsUnreachable(ex.StatusCode, idempotent: true) || IsTlsFailure(ex.Status.DebugException))
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
}
