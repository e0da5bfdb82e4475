namespace RaftBalancer.Chaos.Checking;

/// <summary>A Wing–Gong–Lowe linearizability checker for a key-value store modelled as independent registers.</summary>
/// <remarks>
/// <para>
/// Linearizability is local (Herlihy &amp; Wing): a history over many keys is linearizable iff each key's
/// sub-history is, so every key is checked on its own against a sequential register (write v; read → v).
/// </para>
/// <para>
/// Per key, the search is WGL's: repeatedly pick an operation that may take effect next — one invoked before
/// the earliest completion among the acknowledged operations not yet placed — apply it to the model, and
/// backtrack when the model rejects it (a read that does not return the register's value). Visited
/// (placed set, model state) pairs are cached (Lowe's improvement), so equal configurations are explored once.
/// A read that matches the current state is placed greedily: it changes nothing, so placing it earlier never
/// hurts.
/// </para>
/// <para>
/// Outcomes follow Jepsen/Knossos: <see cref="OpOutcome.Ok"/> operations must all be placed between their
/// invocation and completion; <see cref="OpOutcome.Fail"/> writes never took effect and are dropped;
/// <see cref="OpOutcome.Unknown"/> writes may take effect at any time after their invocation or never (their
/// completion is +∞ and they need not be placed); unknown or failed reads carry no information and are dropped.
/// </para>
/// </remarks>
public static class LinearizabilityChecker
{
    /// <summary>The default cap on search states per key before the verdict is inconclusive.</summary>
    public const long DefaultMaxStates = 2_000_000;

    /// <summary>Checks a history.</summary>
    /// <param name="history">Operations on any number of keys, in any order.</param>
    /// <param name="initialValue">Every register's value before the history (null: absent).</param>
    /// <param name="maxStatesPerKey">Search budget per key.</param>
    /// <returns>One verdict per key.</returns>
    public static LinearizabilityResult Check(IEnumerable<HistoryOp> history, string? initialValue = null, long maxStatesPerKey = DefaultMaxStates)
    {
        ArgumentNullException.ThrowIfNull(history);
        var verdicts = history
            .GroupBy(op => op.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => CheckKey(g.Key, g, initialValue, maxStatesPerKey))
            .ToList();
        return new LinearizabilityResult(verdicts);
    }

    private static KeyVerdict CheckKey(string key, IEnumerable<HistoryOp> ops, string? initialValue, long maxStates)
    {
        var relevant = ops
            .Where(op => op.Kind == OpKind.Write ? op.Outcome != OpOutcome.Fail : op.Outcome == OpOutcome.Ok)
            .OrderBy(op => op.InvokedAt)
            .ThenBy(op => op.Id)
            .ToArray();
        var n = relevant.Length;
        if (n == 0)
        {
            return new KeyVerdict(key, true, false, 0, 0, null);
        }

        // Intern values: the model state is an int (0 = absent).
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        int Intern(string? v)
        {
            if (v is null)
            {
                return 0;
            }

            if (!values.TryGetValue(v, out var id))
            {
                id = values.Count + 1;
                values[v] = id;
            }

            return id;
        }

        var invoke = new long[n];
        var complete = new long[n];
        var isWrite = new bool[n];
        var value = new int[n];
        var required = 0;
        for (var i = 0; i < n; i++)
        {
            var op = relevant[i];
            invoke[i] = op.InvokedAt;
            var known = op.Outcome == OpOutcome.Ok && op.CompletedAt is not null;
            complete[i] = known ? op.CompletedAt!.Value : long.MaxValue;
            if (known)
            {
                required++;
            }

            isWrite[i] = op.Kind == OpKind.Write;
            value[i] = Intern(op.Value);
        }

        var search = new Search(n, invoke, complete, isWrite, value, required, maxStates);
        var outcome = search.Run(Intern(initialValue));
        string? explanation = null;
        if (outcome == SearchOutcome.Violation)
        {
            var names = values.ToDictionary(kv => kv.Value, kv => kv.Key);
            var stuck = search.DeepestStuck is { } s ? relevant[s].ToString() : "?";
            var state = search.DeepestState == 0 ? "<absent>" : names[search.DeepestState];
            explanation = $"after {search.DeepestPlaced} of {required} acknowledged operations, none of the candidates fits; " +
                $"the register held {state}; the earliest-completing unplaced operation was {stuck}";
        }

        return new KeyVerdict(key, outcome == SearchOutcome.Linearizable, outcome == SearchOutcome.Inconclusive, n, search.StatesExplored, explanation);
    }

    private enum SearchOutcome
    {
        Linearizable,
        Violation,
        Inconclusive,
    }

    /// <summary>The WGL depth-first search over one key, with an explicit stack and a visited cache.</summary>
    private sealed class Search
    {
        private readonly int _n;
        private readonly long[] _invoke;
        private readonly long[] _complete;
        private readonly bool[] _isWrite;
        private readonly int[] _value;
        private readonly int _required;
        private readonly long _maxStates;
        private readonly HashSet<Configuration> _visited = [];

        public Search(int n, long[] invoke, long[] complete, bool[] isWrite, int[] value, int required, long maxStates)
        {
            _n = n;
            _invoke = invoke;
            _complete = complete;
            _isWrite = isWrite;
            _value = value;
            _required = required;
            _maxStates = maxStates;
        }

        public long StatesExplored { get; private set; }

        public int DeepestPlaced { get; private set; } = -1;

        public int? DeepestStuck { get; private set; }

        public int DeepestState { get; private set; }

        public SearchOutcome Run(int initialState)
        {
            var stack = new Stack<Frame>();
            var start = Expand(new ulong[(_n + 63) / 64], initialState, 0);
            if (start is null)
            {
                return SearchOutcome.Linearizable;
            }

            stack.Push(start);
            while (stack.Count > 0)
            {
                if (StatesExplored > _maxStates)
                {
                    return SearchOutcome.Inconclusive;
                }

                var frame = stack.Peek();
                if (frame.Next >= frame.Moves.Length)
                {
                    stack.Pop();
                    continue;
                }

                var move = frame.Moves[frame.Next++];
                var bits = (ulong[])frame.Placed.Clone();
                bits[move >> 6] |= 1UL << (move & 63);
                var state = _isWrite[move] ? _value[move] : frame.State;
                var placedRequired = frame.PlacedRequired + (_complete[move] != long.MaxValue ? 1 : 0);
                var child = Expand(bits, state, placedRequired);
                if (child is null)
                {
                    return SearchOutcome.Linearizable;
                }

                if (child.Moves.Length > 0)
                {
                    stack.Push(child);
                }
            }

            return SearchOutcome.Violation;
        }

        /// <summary>Places matching reads greedily, then lists the legal next moves; null when every required op is placed.</summary>
        private Frame? Expand(ulong[] placed, int state, int placedRequired)
        {
            while (true)
            {
                if (placedRequired == _required)
                {
                    return null;
                }

                var frontier = Frontier(placed);
                var greedy = -1;
                for (var i = 0; i < _n && _invoke[i] <= frontier; i++)
                {
                    if (!IsPlaced(placed, i) && !_isWrite[i] && _value[i] == state)
                    {
                        greedy = i;
                        break;
                    }
                }

                if (greedy < 0)
                {
                    break;
                }

                placed[greedy >> 6] |= 1UL << (greedy & 63);
                placedRequired++;
            }

            StatesExplored++;
            if (!_visited.Add(new Configuration(placed, state)))
            {
                return new Frame(placed, state, placedRequired, []);
            }

            var limit = Frontier(placed);
            var moves = new List<int>();
            var stuck = -1;
            for (var i = 0; i < _n && _invoke[i] <= limit; i++)
            {
                if (IsPlaced(placed, i))
                {
                    continue;
                }

                // Reads that do not match cannot go next; matching ones were placed above.
                if (_isWrite[i])
                {
                    moves.Add(i);
                }
            }

            if (placedRequired > DeepestPlaced)
            {
                DeepestPlaced = placedRequired;
                DeepestState = state;
                for (var i = 0; i < _n; i++)
                {
                    if (!IsPlaced(placed, i) && _complete[i] != long.MaxValue && (stuck < 0 || _complete[i] < _complete[stuck]))
                    {
                        stuck = i;
                    }
                }

                DeepestStuck = stuck < 0 ? null : stuck;
            }

            return new Frame(placed, state, placedRequired, [.. moves]);
        }

        private long Frontier(ulong[] placed)
        {
            var min = long.MaxValue;
            for (var i = 0; i < _n; i++)
            {
                if (_complete[i] < min && !IsPlaced(placed, i))
                {
                    min = _complete[i];
                }
            }

            return min;
        }

        private static bool IsPlaced(ulong[] placed, int i) => (placed[i >> 6] & (1UL << (i & 63))) != 0;
    }

    private sealed class Frame
    {
        public Frame(ulong[] placed, int state, int placedRequired, int[] moves)
        {
            Placed = placed;
            State = state;
            PlacedRequired = placedRequired;
            Moves = moves;
        }

        public ulong[] Placed { get; }

        public int State { get; }

        public int PlacedRequired { get; }

        public int[] Moves { get; }

        public int Next { get; set; }
    }

    private readonly struct Configuration : IEquatable<Configuration>
    {
        private readonly ulong[] _placed;
        private readonly int _state;
        private readonly int _hash;

        public Configuration(ulong[] placed, int state)
        {
            _placed = placed;
            _state = state;
            var hash = new HashCode();
            hash.Add(state);
            foreach (var word in placed)
            {
                hash.Add(word);
            }

            _hash = hash.ToHashCode();
        }

        public bool Equals(Configuration other) => _state == other._state && _placed.AsSpan().SequenceEqual(other._placed);

        public override bool Equals(object? obj) => obj is Configuration other && Equals(other);

        public override int GetHashCode() => _hash;
    }
}
