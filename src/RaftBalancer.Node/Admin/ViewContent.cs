using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using RaftBalancer.Contracts.V1;
using RaftBalancer.Node.Views;

namespace RaftBalancer.Node.Admin;

/// <summary>Turns a <see cref="NodeView"/> into a <see cref="ViewUpdate"/>, with its content hash.</summary>
/// <remarks>
/// The content hash is the lowercase hex SHA-256 of this UTF-8 text: <c>policy={name}\n</c>, then one line
/// <c>{id} {url} {weight}\n</c> per routable backend (not draining, weight above 0, routable by the cluster
/// verdict on this node), ordered by id (ordinal), with the URL exactly as configured. Two nodes that would route
/// alike produce the same hash, whatever their view versions.
/// </remarks>
internal static class ViewContent
{
    public static ViewUpdate ToUpdate(string nodeId, NodeView view)
    {
        var routable = Routable(view);
        var update = new ViewUpdate
        {
            NodeId = nodeId,
            Version = view.Routing.Version,
            Policy = view.Policy.Name,
            ContentHash = Hash(view.Policy.Name, routable),
            BuiltAt = view.BuiltAt == DateTimeOffset.MinValue ? null : Timestamp.FromDateTimeOffset(view.BuiltAt),
        };
        update.RoutableBackendIds.Add(routable.Select(b => b.Id));
        return update;
    }

    /// <summary>Computes the documented content hash.</summary>
    /// <param name="policy">The policy name.</param>
    /// <param name="routable">The routable backends as (id, url, weight), in any order.</param>
    /// <returns>Lowercase hex SHA-256.</returns>
    public static string Hash(string policy, IEnumerable<(string Id, string Url, int Weight)> routable)
    {
        var text = new StringBuilder("policy=").Append(policy).Append('\n');
        foreach (var (id, url, weight) in routable.OrderBy(b => b.Id, StringComparer.Ordinal))
        {
            text.Append(id).Append(' ').Append(url).Append(' ').Append(weight).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Hash(string policy, List<(string Id, string Url, int Weight)> routable) => Hash(policy, (IEnumerable<(string, string, int)>)routable);

    private static List<(string Id, string Url, int Weight)> Routable(NodeView view) =>
        [.. view.Routing.Routable
            .Select(b => (b.Id, b.Url.OriginalString, b.Weight))
            .OrderBy(b => b.Id, StringComparer.Ordinal)];
}
