namespace RaftBalancer.Chaos.Checking;

/// <summary>The linearizability verdict for one register.</summary>
/// <param name="Key">The register.</param>
/// <param name="Linearizable">True when a valid linearization was found.</param>
/// <param name="Inconclusive">True when the search budget ran out before a verdict (treated as "not proven wrong").</param>
/// <param name="Operations">Operations considered (failed writes and unanswered reads are dropped).</param>
/// <param name="StatesExplored">Search states visited.</param>
/// <param name="Explanation">For a violation: the operation that could not be placed, and the state the register was in.</param>
public sealed record KeyVerdict(string Key, bool Linearizable, bool Inconclusive, int Operations, long StatesExplored, string? Explanation);
