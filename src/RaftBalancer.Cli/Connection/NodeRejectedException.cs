using Grpc.Core;

namespace RaftBalancer.Cli.Connection;

/// <summary>Thrown when a node answered the call with an error status: the request reached the cluster and was refused.</summary>
internal sealed class NodeRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="node">The node that answered.</param>
    /// <param name="status">Its status.</param>
    /// <param name="innerException">The gRPC exception.</param>
    public NodeRejectedException(Uri node, Status status, RpcException innerException)
        : base(status.Detail, innerException)
    {
        Node = node;
        Status = status;
    }

    /// <summary>The node that answered.</summary>
    public Uri Node { get; }

    /// <summary>The status it answered with.</summary>
    public Status Status { get; }
}
