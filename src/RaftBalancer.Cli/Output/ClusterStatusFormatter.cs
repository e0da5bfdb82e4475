using System.Globalization;
using System.Text.Json;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Cli.Output;

/// <summary>Prints <c>rbctl status</c>.</summary>
internal static class ClusterStatusFormatter
{
    /// <summary>Writes the cluster summary line and one row per member.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="status">The reply.</param>
    public static void WriteTable(TextWriter writer, GetClusterStatusResponse status)
    {
        var leader = string.IsNullOrEmpty(status.LeaderNodeId) ? "(none)" : status.LeaderNodeId;
        writer.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"node {status.NodeId}  leader {leader}  term {status.Term}  commit {status.CommitIndex}  view {status.ViewVersion}  policy {status.Policy}"));

        var table = new TextTable("NODE", "ROLE", "TERM", "LAST CONTACT", "STALE", "APPLIED", "COMMIT", "LAG", "RAFT", "ADMIN");
        foreach (var member in status.Members)
        {
            table.Add(
                member.IsSelf ? member.NodeId + "*" : member.NodeId,
                Names.Of(member.Role),
                member.Term.ToString(CultureInfo.InvariantCulture),
                member.IsSelf ? "self" : member.LastContactMsAgo < 0 ? "never" : Names.Count(member.LastContactMsAgo) + "ms ago",
                member.Stale ? "yes" : "no",
                Names.Count(member.AppliedIndex),
                Names.Count(member.CommitIndex),
                Names.Count(member.Lag),
                member.RaftAddress,
                member.AdminAddress);
        }

        table.WriteTo(writer);
    }

    /// <summary>Writes the reply's JSON properties.</summary>
    /// <param name="json">The writer, inside the command's object.</param>
    /// <param name="status">The reply.</param>
    public static void WriteJson(Utf8JsonWriter json, GetClusterStatusResponse status)
    {
        json.WriteString("node_id", status.NodeId);
        WriteStringOrNull(json, "leader_node_id", status.LeaderNodeId);
        json.WriteNumber("term", status.Term);
        json.WriteNumber("commit_index", status.CommitIndex);
        json.WriteNumber("view_version", status.ViewVersion);
        json.WriteString("policy", status.Policy);
        json.WriteStartArray("members");
        foreach (var member in status.Members)
        {
            json.WriteStartObject();
            json.WriteString("node_id", member.NodeId);
            json.WriteString("raft_address", member.RaftAddress);
            json.WriteString("admin_address", member.AdminAddress);
            json.WriteString("role", Names.Of(member.Role));
            json.WriteNumber("term", member.Term);
            WriteStringOrNull(json, "last_contact", Names.Of(member.LastContact));
            WriteCountOrNull(json, "last_contact_ms_ago", member.LastContactMsAgo);
            json.WriteBoolean("stale", member.Stale);
            WriteCountOrNull(json, "applied_index", member.AppliedIndex);
            WriteCountOrNull(json, "commit_index", member.CommitIndex);
            WriteCountOrNull(json, "lag", member.Lag);
            json.WriteBoolean("self", member.IsSelf);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Writes a string property, or null when empty.</summary>
    /// <param name="json">The writer.</param>
    /// <param name="name">The property name.</param>
    /// <param name="value">The value.</param>
    internal static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>Writes a count property, or null when negative (unknown).</summary>
    /// <param name="json">The writer.</param>
    /// <param name="name">The property name.</param>
    /// <param name="value">The value.</param>
    internal static void WriteCountOrNull(Utf8JsonWriter json, string name, long value)
    {
        if (value < 0)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteNumber(name, value);
        }
    }
}
