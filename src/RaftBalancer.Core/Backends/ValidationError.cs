namespace RaftBalancer.Core.Backends;

/// <summary>One problem found while validating input: the field it concerns and what is wrong with it.</summary>
/// <param name="Field">The field, as an operator would write it (for example <c>backends[1].url</c>).</param>
/// <param name="Message">What is wrong, in a sentence that names the rejected value.</param>
public sealed record ValidationError(string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message}";
}
