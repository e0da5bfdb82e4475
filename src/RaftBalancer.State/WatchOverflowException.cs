namespace RaftBalancer.State;

/// <summary>A watcher fell too far behind and was dropped; list again and start a new watch.</summary>
public sealed class WatchOverflowException : StateStoreException
{
    /// <summary>Initializes a new instance of the <see cref="WatchOverflowException"/> class.</summary>
    public WatchOverflowException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WatchOverflowException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public WatchOverflowException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WatchOverflowException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public WatchOverflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
