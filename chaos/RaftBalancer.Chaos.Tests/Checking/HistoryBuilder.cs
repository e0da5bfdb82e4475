namespace RaftBalancer.Chaos.Tests.Checking;

/// <summary>Builds hand-made histories: <c>Write("a", "x", 0, 10)</c> is a write of x to a invoked at 0 and acknowledged at 10.</summary>
internal sealed class HistoryBuilder
{
    private readonly List<HistoryOp> _ops = [];

    public IReadOnlyList<HistoryOp> Ops => _ops;

    public HistoryBuilder Write(string key, string value, long invoked, long? completed, OpOutcome outcome = OpOutcome.Ok, string process = "p")
    {
        _ops.Add(new HistoryOp(_ops.Count, process + _ops.Count, key, OpKind.Write, value, invoked, outcome == OpOutcome.Unknown ? null : completed, outcome));
        return this;
    }

    public HistoryBuilder Read(string key, string? value, long invoked, long completed, OpOutcome outcome = OpOutcome.Ok, string process = "p")
    {
        _ops.Add(new HistoryOp(_ops.Count, process + _ops.Count, key, OpKind.Read, value, invoked, completed, outcome));
        return this;
    }

    public LinearizabilityResult Check() => LinearizabilityChecker.Check(_ops);
}
