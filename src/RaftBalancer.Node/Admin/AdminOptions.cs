namespace RaftBalancer.Node.Admin;

/// <summary>Settings of the gRPC admin API (configuration section <c>Admin</c>).</summary>
/// <remarks>
/// The token comes from <c>Admin:Token</c> in the node's configuration or from the environment variable
/// <c>RAFTBALANCER_ADMIN_TOKEN</c>; when both are set the environment wins, so an operator can rotate the token
/// without editing the file (the same variable rbctl reads). With no token at all, every mutation is refused
/// with <c>FAILED_PRECONDITION</c>: the API is never open by default.
/// </remarks>
public sealed class AdminOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Admin";

    /// <summary>The environment variable that overrides <see cref="Token"/>.</summary>
    public const string TokenEnvironmentVariable = "RAFTBALANCER_ADMIN_TOKEN";

    /// <summary>The shortest accepted token.</summary>
    public const int MinTokenLength = 16;

    /// <summary>The configuration key <see cref="TokenEnvironmentVariable"/> lands on (the node strips its <c>RAFTBALANCER_</c> prefix).</summary>
    internal const string TokenConfigurationKey = "ADMIN_TOKEN";

    /// <summary>An admin-scope bearer token; empty (and no <see cref="TokenFile"/>) refuses every mutation.</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>
    /// A file of scoped tokens, one <c>&lt;scope&gt; &lt;token&gt;</c> a line (scope <c>read</c> or <c>admin</c>; <c>#</c> starts a
    /// comment line), all valid at once beside <see cref="Token"/>; re-read when it changes (see <see cref="AdminTokens"/>).
    /// </summary>
    public string TokenFile { get; set; } = string.Empty;

    /// <summary>True to require a token for reads (status, list, watch) on loopback too; off loopback they always need one. Default false.</summary>
    public bool RequireTokenForReads { get; set; }

    /// <summary>TLS for the admin and ops listeners (<c>Admin:Tls</c>).</summary>
    public AdminTlsOptions Tls { get; set; } = new();

    /// <summary>How long a committed mutation waits for this node's routing view to include it before answering. Default 5 s.</summary>
    public TimeSpan ViewWaitTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
