namespace RaftBalancer.Chaos.Node;

/// <summary>The chaos node host's own switches (configuration section <c>Chaos</c>), set by the harness on the command line.</summary>
internal sealed class ChaosNodeOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Chaos";

    /// <summary>Gets or sets a value indicating whether the node starts in the deliberately broken "acknowledge before commit" mode.</summary>
    public bool AckBeforeCommit { get; set; }
}
