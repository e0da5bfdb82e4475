namespace RaftBalancer.Node.Views;

/// <summary>What a view decides, as a value: the policy, every backend's state, and whether panic routing is on.</summary>
/// <remarks>Equal plans route identically, so the publisher swaps a new view only when the plan changes.</remarks>
internal sealed class ViewPlan : IEquatable<ViewPlan>
{
    public ViewPlan(string policyName, IReadOnlyList<BackendState> backends, bool panic)
    {
        PolicyName = policyName;
        Backends = backends;
        Panic = panic;
    }

    /// <summary>A plan with no backends and the given policy.</summary>
    /// <param name="policyName">The policy.</param>
    /// <returns>The plan.</returns>
    public static ViewPlan Empty(string policyName) => new(policyName, [], panic: false);

    /// <summary>The balancing policy's name.</summary>
    public string PolicyName { get; }

    /// <summary>Every configured backend, ordered by id.</summary>
    public IReadOnlyList<BackendState> Backends { get; }

    /// <summary>True when nothing was routable and panic routing put the unhealthy-by-verdict backends back.</summary>
    public bool Panic { get; }

    /// <summary>How many backends are routable.</summary>
    public int RoutableCount
    {
        get
        {
            var count = 0;
            foreach (var backend in Backends)
            {
                count += backend.Routable ? 1 : 0;
            }

            return count;
        }
    }

    /// <inheritdoc />
    public bool Equals(ViewPlan? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (string.Equals(PolicyName, other.PolicyName, StringComparison.Ordinal) && Panic == other.Panic && Backends.SequenceEqual(other.Backends)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ViewPlan);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(PolicyName, Panic, Backends.Count);
}
