using Grpc.Core;

namespace RaftBalancer.Cli.Connection;

/// <summary>Why one node did not serve a call.</summary>
/// <param name="Node">The node's admin address.</param>
/// <param name="Code">The gRPC status of the failed attempt.</param>
/// <param name="Detail">The status detail, or the transport error's message.</param>
internal sealed record NodeFailure(Uri Node, StatusCode Code, string Detail);
