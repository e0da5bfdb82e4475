namespace RaftBalancer.Cli;

/// <summary>The process exit codes of rbctl; scripts rely on them, so they never change meaning.</summary>
internal static class ExitCodes
{
    /// <summary>The command succeeded (for <c>watch</c>: the stream ended or was interrupted).</summary>
    public const int Ok = 0;

    /// <summary>A node answered and refused the request (any gRPC status other than OK).</summary>
    public const int Rejected = 1;

    /// <summary>The command line was invalid; nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>No node answered.</summary>
    public const int Unreachable = 3;

    /// <summary>A unary call was interrupted (Ctrl+C) before it finished; a write may still have committed.</summary>
    public const int Interrupted = 130;
}
