using System.Globalization;
using System.Text.Json;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Cli.Output;

/// <summary>Prints the outcome of a write: what changed and where it landed.</summary>
internal static class MutationFormatter
{
    /// <summary>Writes one line: the summary and the resulting view version, revision and log index.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="summary">What changed, e.g. "added backend b1 http://... weight 1".</param>
    /// <param name="result">Where the write landed.</param>
    public static void WriteTable(TextWriter writer, string summary, WriteResult? result)
    {
        result ??= new WriteResult();
        writer.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{summary} (view {result.ViewVersion}, revision {result.ConfigRevision}, log index {result.LogIndex})"));
    }

    /// <summary>Writes <c>view_version</c>, <c>config_revision</c> and <c>log_index</c>.</summary>
    /// <param name="json">The writer, inside the command's object.</param>
    /// <param name="result">Where the write landed.</param>
    public static void WriteJson(Utf8JsonWriter json, WriteResult? result)
    {
        result ??= new WriteResult();
        json.WriteNumber("view_version", result.ViewVersion);
        json.WriteNumber("config_revision", result.ConfigRevision);
        json.WriteNumber("log_index", result.LogIndex);
    }
}
