using System.Globalization;
using System.Text.Json;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Cli.Output;

/// <summary>Prints one <c>rbctl watch</c> update.</summary>
internal static class ViewUpdateFormatter
{
    /// <summary>Writes one line per update.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="update">The update.</param>
    public static void WriteTable(TextWriter writer, ViewUpdate update)
    {
        var routable = update.RoutableBackendIds.Count == 0 ? "(none)" : string.Join(",", update.RoutableBackendIds);
        var hash = update.ContentHash.Length > 12 ? update.ContentHash[..12] : update.ContentHash;
        writer.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{Names.Of(update.BuiltAt) ?? "-"}  node {update.NodeId}  view {update.Version}  policy {update.Policy}  routable {routable}  hash {hash}"));
    }

    /// <summary>Writes the update's JSON properties.</summary>
    /// <param name="json">The writer, inside the update's object.</param>
    /// <param name="update">The update.</param>
    public static void WriteJson(Utf8JsonWriter json, ViewUpdate update)
    {
        json.WriteString("node_id", update.NodeId);
        json.WriteNumber("version", update.Version);
        json.WriteString("policy", update.Policy);
        json.WriteStartArray("routable_backend_ids");
        foreach (var id in update.RoutableBackendIds)
        {
            json.WriteStringValue(id);
        }

        json.WriteEndArray();
        json.WriteString("content_hash", update.ContentHash);
        ClusterStatusFormatter.WriteStringOrNull(json, "built_at", Names.Of(update.BuiltAt));
    }
}
