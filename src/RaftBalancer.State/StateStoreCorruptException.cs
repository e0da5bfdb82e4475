namespace RaftBalancer.State;

/// <summary>The store's files on disk are damaged; the node refuses to start rather than drop committed entries.</summary>
public sealed class StateStoreCorruptException : StateStoreException
{
    /// <summary>Initializes a new instance of the <see cref="StateStoreCorruptException"/> class.</summary>
    public StateStoreCorruptException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StateStoreCorruptException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public StateStoreCorruptException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StateStoreCorruptException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public StateStoreCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
