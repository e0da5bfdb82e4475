using System.Globalization;
using System.Text.Json;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Cli.Output;

/// <summary>Prints <c>rbctl backends list</c> and the backend carried by mutation replies.</summary>
internal static class BackendFormatter
{
    /// <summary>Writes the summary line and one row per backend.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="list">The reply.</param>
    public static void WriteTable(TextWriter writer, ListBackendsResponse list)
    {
        writer.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"node {list.NodeId}  view {list.ViewVersion}  policy {list.Policy}  backends {list.Backends.Count}"));

        var table = new TextTable("ID", "URL", "WEIGHT", "DRAINING", "ROUTABLE", "REASON", "ACTIVE", "BREAKER", "HEALTH");
        foreach (var backend in list.Backends)
        {
            var config = backend.Config ?? new BackendConfig();
            var verdict = backend.Verdict ?? new BackendVerdict();
            var perNode = string.Join(",", backend.ActiveByNode.Select(load => string.Create(CultureInfo.InvariantCulture, $"{load.NodeId}={load.Active}")));
            var health = string.Join(" ", backend.Health.Select(report => $"{report.NodeId}={Names.Of(report.State)}{(report.Stale ? "(stale)" : string.Empty)}"));
            table.Add(
                config.Id,
                config.Url,
                config.Weight.ToString(CultureInfo.InvariantCulture),
                config.Draining ? "yes" : "no",
                verdict.Routable ? "yes" : "no",
                Names.Of(verdict.Reason),
                backend.ActiveTotal.ToString(CultureInfo.InvariantCulture) + (perNode.Length > 0 ? $" ({perNode})" : string.Empty),
                Names.Of(backend.BreakerState),
                health.Length > 0 ? health : "-");
        }

        table.WriteTo(writer);
    }

    /// <summary>Writes the reply's JSON properties.</summary>
    /// <param name="json">The writer, inside the command's object.</param>
    /// <param name="list">The reply.</param>
    public static void WriteJson(Utf8JsonWriter json, ListBackendsResponse list)
    {
        json.WriteString("node_id", list.NodeId);
        json.WriteNumber("view_version", list.ViewVersion);
        json.WriteString("policy", list.Policy);
        json.WriteStartArray("backends");
        foreach (var backend in list.Backends)
        {
            var verdict = backend.Verdict ?? new BackendVerdict();
            json.WriteStartObject();
            WriteConfigProperties(json, backend.Config ?? new BackendConfig());
            json.WriteBoolean("routable", verdict.Routable);
            json.WriteString("verdict_reason", Names.Of(verdict.Reason));
            json.WriteString("verdict_detail", verdict.Detail);
            json.WriteNumber("active_total", backend.ActiveTotal);
            json.WriteStartObject("active_by_node");
            foreach (var load in backend.ActiveByNode)
            {
                json.WriteNumber(load.NodeId, load.Active);
            }

            json.WriteEndObject();
            json.WriteString("breaker", Names.Of(backend.BreakerState));
            json.WriteStartArray("health");
            foreach (var report in backend.Health)
            {
                json.WriteStartObject();
                json.WriteString("node_id", report.NodeId);
                json.WriteString("state", Names.Of(report.State));
                ClusterStatusFormatter.WriteStringOrNull(json, "since", Names.Of(report.Since));
                json.WriteString("reason", report.Reason);
                ClusterStatusFormatter.WriteStringOrNull(json, "retry_after", Names.Of(report.RetryAfter));
                json.WriteBoolean("stale", report.Stale);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Writes a backend's configuration as a nested object.</summary>
    /// <param name="json">The writer.</param>
    /// <param name="name">The property name.</param>
    /// <param name="config">The configuration; null writes JSON null.</param>
    public static void WriteConfig(Utf8JsonWriter json, string name, BackendConfig? config)
    {
        if (config is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartObject(name);
        WriteConfigProperties(json, config);
        json.WriteEndObject();
    }

    /// <summary>Describes a backend on one line.</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>For example "b1 http://10.0.0.5:8080 weight 3 draining".</returns>
    public static string Describe(BackendConfig config)
    {
        return string.Create(CultureInfo.InvariantCulture, $"{config.Id} {config.Url} weight {config.Weight}{(config.Draining ? " draining" : string.Empty)}");
    }

    private static void WriteConfigProperties(Utf8JsonWriter json, BackendConfig config)
    {
        json.WriteString("id", config.Id);
        json.WriteString("url", config.Url);
        json.WriteNumber("weight", config.Weight);
        json.WriteBoolean("draining", config.Draining);
        json.WriteStartObject("metadata");
        foreach (var pair in config.Metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            json.WriteString(pair.Key, pair.Value);
        }

        json.WriteEndObject();
    }
}
