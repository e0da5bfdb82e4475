namespace RaftBalancer.State;

/// <summary>Bytes that should hold a log entry or snapshot are not a valid one (corrupt, truncated or written by a newer version).</summary>
public sealed class StateFormatException : StateStoreException
{
    /// <summary>Initializes a new instance of the <see cref="StateFormatException"/> class.</summary>
    public StateFormatException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StateFormatException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public StateFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StateFormatException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public StateFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
