namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>The part of a node's view every node must agree on: policy and each backend's config and verdict (not counts or report tallies).</summary>
internal static class ViewContent
{
    public static string Of(NodeStatus status) =>
        status.Policy + " | " + string.Join(
            " | ",
            status.Backends.OrderBy(b => b.Id, StringComparer.Ordinal).Select(b => $"{b.Id} {b.Url} w={b.Weight} drain={b.Draining} routable={b.Routable} {b.Reason}"));
}
