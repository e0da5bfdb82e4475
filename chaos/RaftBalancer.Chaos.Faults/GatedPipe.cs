using System.IO.Pipelines;

namespace RaftBalancer.Chaos.Faults;

/// <summary>A connection's transport with its output replaced by a <see cref="GatedPipeWriter"/>.</summary>
/// <param name="Input">The socket's reader, unchanged.</param>
/// <param name="Output">The gated writer.</param>
internal sealed record GatedPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
