namespace RaftBalancer.Node.Tests.Logging;

/// <summary>Keeps every log entry that passes the factory's filters in memory, so tests can assert on EventIds.</summary>
/// <remarks>Add it to a running node with <c>ILoggerFactory.AddProvider</c>: the node's existing loggers pick it up.</remarks>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    /// <summary>The entries with <paramref name="eventId"/>.</summary>
    public IReadOnlyList<LogEntry> With(int eventId) => [.. Entries.Where(e => e.EventId == eventId)];

    public void Dispose()
    {
    }

    internal sealed record LogEntry(string Category, int EventId, LogLevel Level, string Message);

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Entries.Enqueue(new LogEntry(category, eventId.Id, logLevel, formatter(state, exception)));
    }
}
