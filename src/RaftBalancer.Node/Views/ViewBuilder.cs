using RaftBalancer.Core.Breaking;
using RaftBalancer.Core.Health;
using RaftBalancer.Core.Routing;

namespace RaftBalancer.Node.Views;

/// <summary>Decides the next view: a pure function from plain inputs to a <see cref="ViewPlan"/>.</summary>
/// <remarks>
/// <para>
/// Per backend: the other nodes' replicated health reports plus this node's live prober state (its own stored
/// report is ignored: the live one is newer and survives a lost leader) go to <see cref="ClusterVerdict.Decide"/>,
/// together with this node's breaker. The other nodes' fresh load reports are summed per backend (least
/// connections adds this node's live counter at pick time).
/// </para>
/// <para>
/// Panic routing (<see cref="ViewSettings.PanicRouting"/>): when no backend is routable and some are out only by
/// the unhealthy-majority verdict, those are routed to instead of answering 503 to everyone.
/// </para>
/// <para>No clock, no I/O, no state: the same inputs always give an equal plan.</para>
/// </remarks>
internal static class ViewBuilder
{
    /// <summary>The status reason of a backend routed only because of panic routing.</summary>
    public const string PanicReason = "Panic";

    /// <summary>Builds the plan.</summary>
    /// <param name="settings">The node's settings.</param>
    /// <param name="inputs">The store's contents, this node's observations and the time.</param>
    /// <returns>The plan, backends in the order of <see cref="Store.StoreContents.Definitions"/>.</returns>
    public static ViewPlan Build(ViewSettings settings, ViewInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(inputs);
        var now = inputs.Now;
        var remote = RemoteActive(settings, inputs);
        var definitions = inputs.Store.Definitions;
        var states = new BackendState[definitions.Count];
        var reports = new List<NodeHealthReport>();
        var routable = 0;
        var panicCandidates = 0;
        for (var i = 0; i < definitions.Count; i++)
        {
            var definition = definitions[i];
            reports.Clear();
            if (inputs.Store.Health.TryGetValue(definition.Id, out var stored))
            {
                foreach (var report in stored)
                {
                    if (!string.Equals(report.NodeId, settings.NodeId, StringComparison.Ordinal))
                    {
                        reports.Add(report);
                    }
                }
            }

            var local = inputs.LocalHealth.GetValueOrDefault(definition.Id);
            if (local is not null)
            {
                reports.Add(new NodeHealthReport(settings.NodeId, local.State, now, local.RateLimitedUntil));
            }

            var breaker = inputs.Breakers.GetValueOrDefault(definition.Id, CircuitState.Closed);
            var verdict = ClusterVerdict.Decide(definition, reports, now, settings.HealthFreshFor, breaker == CircuitState.Open);
            routable += verdict.IsRoutable ? 1 : 0;
            panicCandidates += verdict.Reason == VerdictReason.UnhealthyMajority ? 1 : 0;
            states[i] = new BackendState(
                definition,
                verdict.IsRoutable,
                verdict.Reason.ToString(),
                verdict.FreshReports,
                verdict.UnhealthyReports,
                local?.State ?? HealthState.Unknown,
                breaker,
                remote.GetValueOrDefault(definition.Id));
        }

        var panic = settings.PanicRouting && routable == 0 && panicCandidates > 0;
        if (panic)
        {
            for (var i = 0; i < states.Length; i++)
            {
                if (states[i].Reason == nameof(VerdictReason.UnhealthyMajority))
                {
                    states[i] = states[i] with { Routable = true, Reason = PanicReason };
                }
            }
        }

        return new ViewPlan(inputs.Store.PolicyName, states, panic);
    }

    /// <summary>Active requests per backend on the other nodes, from their fresh load reports.</summary>
    private static Dictionary<string, long> RemoteActive(ViewSettings settings, ViewInputs inputs)
    {
        var remote = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var load in inputs.Store.Loads)
        {
            if (string.Equals(load.NodeId, settings.NodeId, StringComparison.Ordinal) || inputs.Now - load.ReportedAt > settings.LoadFreshFor)
            {
                continue;
            }

            foreach (var (backendId, count) in load.Active)
            {
                remote[backendId] = remote.GetValueOrDefault(backendId) + Math.Max(0, count);
            }
        }

        return remote;
    }
}
