using RaftBalancer.Core.Backends;

namespace RaftBalancer.Core.Routing;

/// <summary>An immutable set of candidate backends that the policies pick from; the node swaps in a new one atomically.</summary>
/// <remarks>
/// Candidates exclude draining backends and weight 0. Readers never lock: a request reads the current view once
/// and uses it to the end. The smooth weighted schedule is computed on first use and cached in the view.
/// </remarks>
public sealed class RoutingView
{
    private int[]? _weightedSchedule;

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
    internal int[] WeightedSchedule => _weightedSchedule ?? Interlocked.CompareExchange(ref _weightedSchedule, BuildSchedule(Candidates), null) ?? _weightedSchedule!;

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

    internal static int[] BuildSchedule(RoutableBackend[] candidates)
    {
        if (candidates.Length == 0)
        {
            return [];
        }

        var gcd = 0;
        foreach (var candidate in candidates)
        {
            gcd = Gcd(gcd, candidate.Weight);
        }

        var weights = new int[candidates.Length];
        var total = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            weights[i] = candidates[i].Weight / gcd;
            total += weights[i];
        }

        // nginx: add each weight to its running score, take the highest (first on ties), subtract the total from it.
        // After `total` picks every score is back to zero, so one period is the whole schedule.
        var scores = new long[candidates.Length];
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
}
