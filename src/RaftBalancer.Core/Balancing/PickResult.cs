using System.Diagnostics.CodeAnalysis;
using RaftBalancer.Core.Routing;

namespace RaftBalancer.Core.Balancing;

/// <summary>The result of a pick: a backend, or the <see cref="PickOutcome.NoHealthyBackends"/> outcome.</summary>
/// <remarks>A value type so a pick allocates nothing; the default value is the no-backend outcome.</remarks>
public readonly struct PickResult : IEquatable<PickResult>
{
    /// <summary>Creates a successful result.</summary>
    /// <param name="backend">The picked backend.</param>
    public PickResult(RoutableBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        Backend = backend;
    }

    /// <summary>The outcome when nothing is routable.</summary>
    public static PickResult NoHealthyBackends => default;

    /// <summary>The picked backend; null only when <see cref="IsSuccess"/> is false.</summary>
    public RoutableBackend? Backend { get; }

    /// <summary>What the pick produced.</summary>
    public PickOutcome Outcome => Backend is null ? PickOutcome.NoHealthyBackends : PickOutcome.Picked;

    /// <summary>True when a backend was picked.</summary>
    [MemberNotNullWhen(true, nameof(Backend))]
    public bool IsSuccess => Backend is not null;

    /// <summary>Equality by picked backend.</summary>
    public static bool operator ==(PickResult left, PickResult right) => left.Equals(right);

    /// <summary>Inequality by picked backend.</summary>
    public static bool operator !=(PickResult left, PickResult right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(PickResult other) => ReferenceEquals(Backend, other.Backend);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PickResult other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Backend?.GetHashCode() ?? 0;

    /// <inheritdoc />
    public override string ToString() => Backend is null ? "NoHealthyBackends" : $"Picked {Backend.Id}";
}
