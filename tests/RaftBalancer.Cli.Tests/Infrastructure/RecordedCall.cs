namespace RaftBalancer.Cli.Tests.Infrastructure;

/// <summary>One call the fake admin server received.</summary>
internal sealed record RecordedCall(string Method, IMessage Request, string? Authorization);
