using Microsoft.Extensions.Diagnostics.HealthChecks;
using RaftBalancer.Node.Views;

namespace RaftBalancer.Node.Admin;

/// <summary>Healthy once the node routes by a view built from the replicated configuration; reported by <c>grpc.health.v1.Health</c>.</summary>
internal sealed class ViewHealthCheck : IHealthCheck
{
    private readonly ViewPublisher _views;

    public ViewHealthCheck(ViewPublisher views)
    {
        _views = views;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_views.HasStoreView
            ? HealthCheckResult.Healthy("routing view " + _views.Current.Routing.Version)
            : HealthCheckResult.Unhealthy("no routing view from the replicated configuration yet"));
}
