namespace RaftBalancer.Node.Options;

/// <summary>Thrown at start-up when the node's configuration is invalid; carries every error, each naming its field.</summary>
public sealed class NodeConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errors">At least one error.</param>
    public NodeConfigurationException(IReadOnlyList<string> errors)
        : base("Invalid configuration: " + string.Join(" ", errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with one error.</summary>
    public NodeConfigurationException()
        : this(["unknown error"])
    {
    }

    /// <summary>Creates the exception with one error.</summary>
    /// <param name="message">The error.</param>
    public NodeConfigurationException(string message)
        : this([message])
    {
    }

    /// <summary>Creates the exception with one error and its cause.</summary>
    /// <param name="message">The error.</param>
    /// <param name="innerException">The cause.</param>
    public NodeConfigurationException(string message, Exception innerException)
        : base("Invalid configuration: " + message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Every error found.</summary>
    public IReadOnlyList<string> Errors { get; } = [];
}
