namespace RaftBalancer.Core;

/// <summary>Turns the collected errors of an options class into one exception that lists them all.</summary>
internal static class OptionErrors
{
    /// <summary>Throws when <paramref name="errors"/> is not empty.</summary>
    /// <param name="section">The options' configuration section, named in the message.</param>
    /// <param name="errors">Every error found, each naming its field.</param>
    /// <exception cref="ArgumentException">There was at least one error.</exception>
    public static void ThrowIfAny(string section, IReadOnlyList<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid " + section + " options: " + string.Join(" ", errors));
        }
    }
}
