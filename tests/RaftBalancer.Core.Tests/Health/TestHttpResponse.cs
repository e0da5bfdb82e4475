namespace RaftBalancer.Core.Tests.Health;

/// <summary>What <see cref="TestHttpServer"/> answers: a status, an optional Retry-After value and a delay before answering.</summary>
internal sealed record TestHttpResponse(int Status, string? RetryAfter = null, TimeSpan Delay = default);
