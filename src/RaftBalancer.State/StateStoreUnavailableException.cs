namespace RaftBalancer.State;

/// <summary>The store cannot accept the operation now: no quorum, no leader, timed out, or closed.</summary>
public sealed class StateStoreUnavailableException : StateStoreException
{
    /// <summary>Initializes a new instance of the <see cref="StateStoreUnavailableException"/> class.</summary>
    public StateStoreUnavailableException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StateStoreUnavailableException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public StateStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StateStoreUnavailableException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public StateStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
