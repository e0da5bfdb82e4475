using RaftBalancer.Node.Store;

namespace RaftBalancer.Node.Observability;

/// <summary>The other nodes' requests per second per backend, from the served totals in consecutive load reports.</summary>
/// <remarks>
/// A node writes its report when its active counts change and at least every half TTL, so under traffic a rate is
/// at most about half a second old. A rate is the served difference over the reports' own timestamps (the writer's
/// clock at both ends, so clock skew between nodes does not matter). A counter that went down (the node restarted)
/// starts over; a node whose report is gone (expired or deleted) no longer counts. Not thread-safe: one sampler calls it.
/// </remarks>
internal sealed class ClusterRates
{
    private readonly Dictionary<string, NodeRates> _nodes = new(StringComparer.Ordinal);

    /// <summary>Takes the latest reports and returns the summed rate per backend of every node but <paramref name="selfId"/>.</summary>
    /// <param name="selfId">This node (its own rate comes from its live counter, not its report).</param>
    /// <param name="reports">Every node's latest load report.</param>
    /// <returns>Backend id to requests per second on the other nodes.</returns>
    public IReadOnlyDictionary<string, double> Update(string selfId, IReadOnlyList<NodeLoadReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var report in reports)
        {
            if (report.NodeId == selfId || report.Served is null)
            {
                continue;
            }

            seen.Add(report.NodeId);
            var rates = _nodes.TryGetValue(report.NodeId, out var previous) ? previous.Next(report) : new NodeRates(report.ReportedAt, report.Served, new Dictionary<string, double>());
            _nodes[report.NodeId] = rates;
            foreach (var (backend, rate) in rates.Rates)
            {
                sums[backend] = sums.GetValueOrDefault(backend) + rate;
            }
        }

        foreach (var gone in _nodes.Keys.Where(id => !seen.Contains(id)).ToList())
        {
            _nodes.Remove(gone);
        }

        return sums;
    }

    private sealed record NodeRates(DateTimeOffset At, IReadOnlyDictionary<string, ulong> Served, IReadOnlyDictionary<string, double> Rates)
    {
        public NodeRates Next(NodeLoadReport report)
        {
            if (report.ReportedAt <= At)
            {
                return this; // the same report (or an older one): the rate stands
            }

            var seconds = (report.ReportedAt - At).TotalSeconds;
            var rates = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (backend, total) in report.Served!)
            {
                var before = Served.GetValueOrDefault(backend);
                if (total < before)
                {
                    return new NodeRates(report.ReportedAt, report.Served, new Dictionary<string, double>()); // restarted
                }

                rates[backend] = Math.Round((total - before) / seconds, 1);
            }

            return new NodeRates(report.ReportedAt, report.Served, rates);
        }
    }
}
