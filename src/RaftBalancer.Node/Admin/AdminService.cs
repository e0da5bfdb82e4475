using Grpc.Core;
using Microsoft.Extensions.Options;
using RaftBalancer.Contracts.V1;
using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Balancing;
using RaftBalancer.Core.Health;
using RaftBalancer.Node.Options;
using RaftBalancer.Node.Store;
using RaftBalancer.Node.Views;
using RaftBalancer.State;

namespace RaftBalancer.Node.Admin;

/// <summary>The operator API, <c>raftbalancer.v1.Admin</c>, served on every node's admin port.</summary>
/// <remarks>
/// <para>
/// Authentication runs before any method (<see cref="AdminAuthInterceptor"/>). Every mutation validates its
/// input first (all errors in one INVALID_ARGUMENT), then checks existence with a linearizable read, then writes
/// through the state store (a follower forwards to the Raft leader), then waits until this node's routing view
/// includes the change, and answers with a <see cref="WriteResult"/>. No quorum: UNAVAILABLE.
/// </para>
/// <para>
/// Check-then-write: this node serializes its own mutations, and the existence check is linearizable, but the
/// store has no conditional write, so two operators racing on two different nodes can still both pass the check
/// (e.g. two AddBackend with one id: the later write wins; an UpdateWeight racing a RemoveBackend can re-create
/// the backend). The window is one commit round trip.
/// </para>
/// </remarks>
internal sealed partial class AdminService : RaftBalancer.Contracts.V1.Admin.AdminBase, IDisposable
{
    private readonly ViewPublisher _views;
    private readonly StoreWriter _writer;
    private readonly IStateStore _store;
    private readonly ConnectionTracker _tracker;
    private readonly IConsensusStatus _consensus;
    private readonly NodeOptions _node;
    private readonly AdminOptions _admin;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<AdminService> _logger;
    private readonly TimeSpan _healthFreshFor;
    private readonly TimeSpan _loadFreshFor;
    private readonly SemaphoreSlim _mutations = new(1, 1);

    public AdminService(
        ViewPublisher views,
        IStateStore store,
        ConnectionTracker tracker,
        IConsensusStatus consensus,
        IOptions<NodeOptions> node,
        IOptions<HealthCheckOptions> health,
        IOptions<AdminOptions> admin,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILogger<AdminService> logger,
        Diagnostics.NodeTelemetry? telemetry = null)
    {
        _views = views;
        _store = store;
        _writer = new StoreWriter(store, telemetry);
        _tracker = tracker;
        _consensus = consensus;
        _node = node.Value;
        _admin = admin.Value;
        _time = time;
        _lifetime = lifetime;
        _logger = logger;
        _healthFreshFor = _node.EffectiveHealthReportTtl(health.Value);
        _loadFreshFor = _node.EffectiveLoadReportTtl;
    }

    /// <inheritdoc />
    public void Dispose() => _mutations.Dispose();

    /// <inheritdoc />
    public override async Task WatchView(WatchViewRequest request, IServerStreamWriter<ViewUpdate> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);

        // Subscribe before reading the current view so that no version falls between the two.
        var pending = System.Threading.Channels.Channel.CreateBounded<NodeView>(new System.Threading.Channels.BoundedChannelOptions(256)
        {
            FullMode = System.Threading.Channels.BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        void OnChanged(NodeView view) => pending.Writer.TryWrite(view);
        _views.ViewChanged += OnChanged;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _lifetime.ApplicationStopping);
        try
        {
            var current = _views.Current;
            var last = current.Routing.Version;
            await responseStream.WriteAsync(ViewContent.ToUpdate(_node.Id, current), stop.Token);
            await foreach (var view in pending.Reader.ReadAllAsync(stop.Token))
            {
                if (view.Routing.Version <= last)
                {
                    continue;
                }

                last = view.Routing.Version;
                await responseStream.WriteAsync(ViewContent.ToUpdate(_node.Id, view), stop.Token);
            }
        }
        catch (OperationCanceledException) when (_lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            // Tell the client to move to another node rather than letting shutdown wait for the stream.
            throw new RpcException(new Status(StatusCode.Unavailable, $"node '{_node.Id}' is shutting down."));
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            _views.ViewChanged -= OnChanged;
        }
    }

    private static RpcException Invalid(List<ValidationError> errors) =>
        new(new Status(StatusCode.InvalidArgument, "invalid request: " + string.Join("; ", errors.Select(e => e.ToString()))));

    private static RpcException NotFound(string id) =>
        new(new Status(StatusCode.NotFound, $"backend '{id}' does not exist."));

    /// <summary>Runs a store operation, turning the store's failures into gRPC statuses.</summary>
    private async Task<T> GuardAsync<T>(string operation, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (StateStoreUnavailableException ex)
        {
            Log.AdminUnavailable(_logger, operation, ex.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message));
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
    }
}
