namespace RaftBalancer.Cli.Connection;

/// <summary>A reply together with the node that gave it.</summary>
/// <typeparam name="T">The reply message.</typeparam>
/// <param name="Node">The admin address that answered.</param>
/// <param name="Message">The reply.</param>
internal sealed record AdminReply<T>(Uri Node, T Message);
