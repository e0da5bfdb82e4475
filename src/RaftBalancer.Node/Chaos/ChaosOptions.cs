namespace RaftBalancer.Node.Chaos;

/// <summary>Test-only switches (configuration section <c>Chaos</c>), set by the chaos harness and never by a production configuration.</summary>
/// <remarks>
/// With <see cref="Enabled"/> (or the environment variable <c>RAFTBALANCER_CHAOS=1</c>) a Raft node runs its Raft
/// traffic through the fault seam and serves <c>/-/chaos/*</c> on its admin port; without it neither exists.
/// </remarks>
public sealed class ChaosOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Chaos";

    /// <summary>The environment variable that also enables chaos when set to <c>1</c>.</summary>
    public const string EnvironmentVariable = "RAFTBALANCER_CHAOS";

    /// <summary>Gets or sets a value indicating whether the fault seam and the chaos endpoints exist.</summary>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets a value indicating whether the node starts in the deliberately broken "acknowledge before commit" mode.</summary>
    public bool AckBeforeCommit { get; set; }

    /// <summary>Tells whether chaos is enabled by the configuration or the environment.</summary>
    /// <param name="configuration">The node's configuration.</param>
    /// <returns>The bound options when enabled; otherwise <see langword="null"/>.</returns>
    public static ChaosOptions? Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ChaosOptions();
        configuration.GetSection(SectionName).Bind(options);
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) == "1")
        {
            options.Enabled = true;
        }

        return options.Enabled ? options : null;
    }
}
