using RaftBalancer.Core.Backends;

namespace RaftBalancer.Core.Routing;

/// <summary>An immutable set of candidate backends that the policies pick from; the node swaps in a new one atomically.</summary>
/// <remarks>
/// Candidates exclude draining backends and weight 0. Readers never lock: a request reads the current view once
/// and uses it to the end. The smooth weighted schedule is complete when the constructor returns (views are built
/// off the request path), so no pick ever builds or allocates it; a view whose candidates carry the same weights as
/// the last view built reuses that view's schedule instead of recomputing it.
/// </remarks>
public sealed class RoutingView
{
    // The last schedule built, with the reduced weights it was built from. Views swap often (health and load
    // changes) while the weights rarely change, so most constructions reuse it: an O(n) comparison instead of an
    // O(period × n) build and a new array. One entry, replaced atomically; a race only costs a rebuild.
    private static ScheduleEntry? s_lastSchedule;

    /// <summary>Creates a view.</summary>
    /// <param name="version">A number that grows with every new view.</param>
    /// <param name="backends">The routable backends, in a stable order (rotations follow it).</param>
    /// <exception cref="BackendValidationException">Two backends share an id.</exception>
    public RoutingView(long version, IEnumerable<RoutableBackend> backends)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        var all = backends.ToArray();
        // A null entry is reported by the set validation (backends[i] must not be null), not as a NullReferenceException.
        BackendValidator.ThrowIfInvalidSet(all.Select(backend => backend?.Definition!));
        Version = version;
        Backends = all;
        Candidates = Array.FindAll(all, backend => backend.Weight > 0 && !backend.Definition.Draining);
        WeightedSchedule = ScheduleFor(Candidates);
    }

    /// <summary>A view with no backends.</summary>
    public static RoutingView Empty { get; } = new(0, []);

    /// <summary>The view's version.</summary>
    public long Version { get; }

    /// <summary>Every backend given to the view, in order.</summary>
    public IReadOnlyList<RoutableBackend> Backends { get; }

    /// <summary>The backends a policy may pick: not draining, weight above 0.</summary>
    internal RoutableBackend[] Candidates { get; }

    /// <summary>The candidates a policy may pick, for callers outside the hot path.</summary>
    public IReadOnlyList<RoutableBackend> Routable => Candidates;

    /// <summary>One period of nginx's smooth weighted round robin over <see cref="Candidates"/>, as candidate indices.</summary>
    internal int[] WeightedSchedule { get; }

    /// <summary>Returns the backend with the given id, or null.</summary>
    /// <param name="id">The backend id.</param>
    /// <returns>The backend, or null when the view does not hold it.</returns>
    public RoutableBackend? Find(string id)
    {
        foreach (var backend in Backends)
        {
            if (string.Equals(backend.Id, id, StringComparison.Ordinal))
            {
                return backend;
            }
        }

        return null;
    }

    /// <summary>The schedule for the candidates: the last one built when the reduced weights match, else a new one.</summary>
    internal static int[] ScheduleFor(RoutableBackend[] candidates)
    {
        if (candidates.Length == 0)
        {
            return [];
        }

        var weights = ReducedWeights(candidates);
        var last = Volatile.Read(ref s_lastSchedule);
        if (last is not null && last.Weights.AsSpan().SequenceEqual(weights))
        {
            return last.Schedule;
        }

        var schedule = BuildSchedule(weights);
        Volatile.Write(ref s_lastSchedule, new ScheduleEntry(weights, schedule));
        return schedule;
    }

    /// <summary>Builds one period of the schedule, always anew.</summary>
    internal static int[] BuildSchedule(RoutableBackend[] candidates) =>
        candidates.Length == 0 ? [] : BuildSchedule(ReducedWeights(candidates));

    private static int[] ReducedWeights(RoutableBackend[] candidates)
    {
        var gcd = 0;
        foreach (var candidate in candidates)
        {
            gcd = Gcd(gcd, candidate.Weight);
        }

        var weights = new int[candidates.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            weights[i] = candidates[i].Weight / gcd;
        }

        return weights;
    }

    private static int[] BuildSchedule(int[] weights)
    {
        var total = 0;
        foreach (var weight in weights)
        {
            total += weight;
        }

        // nginx: add each weight to its running score, take the highest (first on ties), subtract the total from it.
        // After `total` picks every score is back to zero, so one period is the whole schedule.
        var scores = new long[weights.Length];
        var schedule = new int[total];
        for (var pick = 0; pick < total; pick++)
        {
            var best = 0;
            for (var i = 0; i < weights.Length; i++)
            {
                scores[i] += weights[i];
                if (scores[i] > scores[best])
                {
                    best = i;
                }
            }

            scores[best] -= total;
            schedule[pick] = best;
        }

        return schedule;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    private sealed record ScheduleEntry(int[] Weights, int[] Schedule);
}
