using Grpc.Core;
using RaftBalancer.Contracts.V1;
using RaftBalancer.Core.Backends;
using RaftBalancer.Node.Store;
using RaftBalancer.Node.Views;
using RaftBalancer.State;

namespace RaftBalancer.Node.Admin;

internal sealed partial class AdminService
{
    /// <inheritdoc />
    public override Task<AddBackendResponse> AddBackend(AddBackendRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var errors = AdminRequestValidator.Backend(request.Id, request.Url, request.Weight, request.Metadata);
        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }

        var definition = new BackendDefinition(request.Id, request.Url, request.Weight, draining: false, request.Metadata);
        return GuardAsync("AddBackend", async () =>
        {
            var result = await CommitAsync(
                "add",
                definition.Id,
                async ct =>
                {
                    if (await _store.GetAsync(StoreLayout.Backend(definition.Id), ReadConsistency.Linearizable, ct) is not null)
                    {
                        throw new RpcException(new Status(StatusCode.AlreadyExists, $"backend '{definition.Id}' already exists; remove it first or change it with UpdateWeight/DrainBackend."));
                    }

                    return await _writer.SetAsync(StoreLayout.Backend(definition.Id), StoreValues.Encode(definition), ct);
                },
                view => Includes(view, definition),
                context);
            return new AddBackendResponse { Result = result, Backend = AdminMapper.ToConfig(definition) };
        });
    }

    /// <inheritdoc />
    public override Task<RemoveBackendResponse> RemoveBackend(RemoveBackendRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var errors = AdminRequestValidator.Id(request.Id);
        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }

        var id = request.Id;
        return GuardAsync("RemoveBackend", async () =>
        {
            var result = await CommitAsync(
                "remove",
                id,
                async ct =>
                {
                    _ = await ReadExistingAsync(id, ct);
                    return await _writer.DeleteAsync(StoreLayout.Backend(id), ct);
                },
                view => !view.Backends.Any(s => s.Id == id),
                context);
            return new RemoveBackendResponse { Result = result };
        });
    }

    /// <inheritdoc />
    public override Task<UpdateWeightResponse> UpdateWeight(UpdateWeightRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var errors = AdminRequestValidator.Weight(request.Id, request.Weight);
        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }

        return GuardAsync("UpdateWeight", async () =>
        {
            var (result, stored) = await ChangeAsync("set-weight", request.Id, existing => existing.WithWeight(request.Weight), context);
            return new UpdateWeightResponse { Result = result, Backend = AdminMapper.ToConfig(stored) };
        });
    }

    /// <inheritdoc />
    public override Task<DrainBackendResponse> DrainBackend(DrainBackendRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SetDrainingAsync("DrainBackend", request.Id, draining: true, context, (result, backend) => new DrainBackendResponse { Result = result, Backend = backend });
    }

    /// <inheritdoc />
    public override Task<UndrainBackendResponse> UndrainBackend(UndrainBackendRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SetDrainingAsync("UndrainBackend", request.Id, draining: false, context, (result, backend) => new UndrainBackendResponse { Result = result, Backend = backend });
    }

    /// <summary>Drain and undrain: validates the id, flips the backend's draining flag and answers with what was stored.</summary>
    private Task<TResponse> SetDrainingAsync<TResponse>(
        string method,
        string id,
        bool draining,
        ServerCallContext context,
        Func<WriteResult, BackendConfig, TResponse> respond)
    {
        ArgumentNullException.ThrowIfNull(context);
        var errors = AdminRequestValidator.Id(id);
        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }

        return GuardAsync(method, async () =>
        {
            var (result, stored) = await ChangeAsync(draining ? "drain" : "undrain", id, existing => existing.WithDraining(draining), context);
            return respond(result, AdminMapper.ToConfig(stored));
        });
    }

    /// <inheritdoc />
    public override Task<SetPolicyResponse> SetPolicy(SetPolicyRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var errors = AdminRequestValidator.Policy(request.Policy);
        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }

        var policy = request.Policy;
        return GuardAsync("SetPolicy", async () =>
        {
            var result = await CommitAsync(
                "set-policy",
                policy,
                ct => _writer.SetAsync(StoreLayout.Policy, StoreValues.EncodePolicy(policy), ct),
                view => view.Policy.Name == policy,
                context);
            return new SetPolicyResponse { Result = result, Policy = policy };
        });
    }

    private static bool Includes(NodeView view, BackendDefinition definition) => view.Backends.Any(s =>
        s.Id == definition.Id
        && s.Definition.Url.OriginalString == definition.Url.OriginalString
        && s.Definition.Weight == definition.Weight
        && s.Definition.Draining == definition.Draining);

    private async Task<BackendDefinition> ReadExistingAsync(string id, CancellationToken cancellationToken)
    {
        var entry = await _store.GetAsync(StoreLayout.Backend(id), ReadConsistency.Linearizable, cancellationToken) ?? throw NotFound(id);
        return StoreValues.DecodeBackend(entry.Value)
            ?? throw new RpcException(new Status(StatusCode.Internal, $"the stored configuration of backend '{id}' cannot be decoded; remove it and add it again."));
    }

    /// <summary>Reads a backend, applies <paramref name="change"/> and writes it back (NOT_FOUND when absent).</summary>
    private async Task<(WriteResult Result, BackendDefinition Stored)> ChangeAsync(string operation, string id, Func<BackendDefinition, BackendDefinition> change, ServerCallContext context)
    {
        BackendDefinition? updated = null;
        var result = await CommitAsync(
            operation,
            id,
            async ct =>
            {
                updated = change(await ReadExistingAsync(id, ct));
                return await _writer.SetAsync(StoreLayout.Backend(id), StoreValues.Encode(updated), ct);
            },
            view => Includes(view, updated!),
            context);
        return (result, updated!);
    }

    /// <summary>Runs check-and-write under this node's mutation lock, then waits for this node's view to show the change.</summary>
    private async Task<WriteResult> CommitAsync(
        string operation,
        string target,
        Func<CancellationToken, Task<(long LogIndex, long Revision)>> write,
        Func<NodeView, bool> visible,
        ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        (long LogIndex, long Revision) landed;
        await _mutations.WaitAsync(cancellationToken);
        try
        {
            landed = await write(cancellationToken);
        }
        finally
        {
            _mutations.Release();
        }

        using var timeout = new CancellationTokenSource(_admin.ViewWaitTimeout, _time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        NodeView view;
        try
        {
            view = await _views.WaitForAsync(visible, wait.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(
                StatusCode.DeadlineExceeded,
                $"{operation} {target} committed at log index {landed.LogIndex} (revision {landed.Revision}), but node '{_node.Id}' did not show it in its routing view within {_admin.ViewWaitTimeout.TotalSeconds:0.#} s."));
        }

        Log.AdminCommitted(_logger, operation, target, landed.LogIndex, landed.Revision, view.Routing.Version);
        return new WriteResult { ViewVersion = view.Routing.Version, ConfigRevision = landed.Revision, LogIndex = landed.LogIndex };
    }
}
