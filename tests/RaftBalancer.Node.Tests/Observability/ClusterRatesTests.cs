using RaftBalancer.Node.Observability;
using RaftBalancer.Node.Store;

namespace RaftBalancer.Node.Tests.Observability;

/// <summary>The dashboard's cluster-wide requests per second: other nodes' rates from the served totals in their load reports.</summary>
public sealed class ClusterRatesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Update_TwoReportsPerNode_SumsEachNodesRateOverItsOwnTimestamps_AndLeavesThisNodeOut()
    {
        var rates = new ClusterRates();
        Assert.Empty(rates.Update("n1", [Report("n1", T0, 0), Report("n2", T0, 100), Report("n3", T0, 10)]));

        // n2: 50 more over 0.5 s = 100/s; n3: 30 more over 2 s (its clock, whatever ours says) = 15/s; n1 is this node.
        var sums = rates.Update("n1", [Report("n1", T0.AddSeconds(1), 999), Report("n2", T0.AddMilliseconds(500), 150), Report("n3", T0.AddSeconds(2), 40)]);

        Assert.Equal(115, sums["b"]);
    }

    [Fact]
    public void Update_SameReportAgain_KeepsTheRate_AnIdleNodeDropsToZero_AGoneNodeNoLongerCounts()
    {
        var rates = new ClusterRates();
        rates.Update("n1", [Report("n2", T0, 0)]);
        Assert.Equal(20, rates.Update("n1", [Report("n2", T0.AddSeconds(1), 20)])["b"]);

        Assert.Equal(20, rates.Update("n1", [Report("n2", T0.AddSeconds(1), 20)])["b"]); // no new report yet
        Assert.Equal(0, rates.Update("n1", [Report("n2", T0.AddSeconds(2), 20)])["b"]); // refreshed, nothing served
        Assert.Empty(rates.Update("n1", [])); // expired
    }

    [Fact]
    public void Update_CounterWentDown_NodeRestarted_StartsOverInsteadOfANegativeRate()
    {
        var rates = new ClusterRates();
        rates.Update("n1", [Report("n2", T0, 500)]);

        Assert.Empty(rates.Update("n1", [Report("n2", T0.AddSeconds(1), 3)]));
        Assert.Equal(7, rates.Update("n1", [Report("n2", T0.AddSeconds(2), 10)])["b"]);
    }

    [Fact]
    public void Update_NodeWithoutServedTotals_OlderVersionOrNoOpsListener_IsLeftOut()
    {
        var rates = new ClusterRates();
        var old = new NodeLoadReport("n2", T0, new Dictionary<string, long> { ["b"] = 1 });

        rates.Update("n1", [old]);

        Assert.Empty(rates.Update("n1", [old with { ReportedAt = T0.AddSeconds(1) }]));
    }

    private static NodeLoadReport Report(string node, DateTimeOffset at, ulong served) =>
        new(node, at, new Dictionary<string, long>(), new Dictionary<string, ulong> { ["b"] = served });
}
