namespace RaftBalancer.Chaos.Checking;

/// <summary>The verdict over a whole history: one <see cref="KeyVerdict"/> per register.</summary>
/// <param name="Keys">Per-register verdicts, ordered by key.</param>
public sealed record LinearizabilityResult(IReadOnlyList<KeyVerdict> Keys)
{
    /// <summary>Gets a value indicating whether no register was proven non-linearizable.</summary>
    public bool IsLinearizable => Keys.All(k => k.Linearizable || k.Inconclusive);

    /// <summary>Gets the registers proven non-linearizable.</summary>
    public IEnumerable<KeyVerdict> Violations => Keys.Where(k => !k.Linearizable && !k.Inconclusive);
}
