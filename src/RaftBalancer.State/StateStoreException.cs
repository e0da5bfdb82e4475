namespace RaftBalancer.State;

/// <summary>Base of the errors raised by a state store.</summary>
public class StateStoreException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="StateStoreException"/> class.</summary>
    public StateStoreException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StateStoreException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public StateStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StateStoreException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public StateStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
