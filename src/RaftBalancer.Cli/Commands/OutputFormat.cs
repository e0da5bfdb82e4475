namespace RaftBalancer.Cli.Commands;

/// <summary>How a command prints its result.</summary>
internal enum OutputFormat
{
    /// <summary>Aligned columns for people.</summary>
    Table = 0,

    /// <summary>One JSON object per command (per update for <c>watch</c>), in the schema documented in README.md.</summary>
    Json = 1,
}
