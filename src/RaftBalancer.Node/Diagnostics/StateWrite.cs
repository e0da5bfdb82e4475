using System.Diagnostics;

namespace RaftBalancer.Node.Diagnostics;

/// <summary>One write to the replicated store being timed: counts it and records proposal-to-commit once it completes.</summary>
internal readonly struct StateWrite : IDisposable
{
    private readonly NodeTelemetry _telemetry;
    private readonly string _kind;
    private readonly Activity? _activity;
    private readonly long _start;

    public StateWrite(NodeTelemetry telemetry, string kind, Activity? activity, long start)
    {
        _telemetry = telemetry;
        _kind = kind;
        _activity = activity;
        _start = start;
    }

    /// <summary>The write committed (and was applied on this node).</summary>
    public void Complete()
    {
        var tag = new KeyValuePair<string, object?>("kind", _kind);
        _telemetry.StateWrites.Add(1, tag);
        _telemetry.CommitDuration.Record(Stopwatch.GetElapsedTime(_start).TotalSeconds, tag);
        _activity?.SetStatus(ActivityStatusCode.Ok);
    }

    /// <summary>Ends the span (an uncompleted write is marked failed).</summary>
    public void Dispose()
    {
        if (_activity is { } activity)
        {
            if (activity.Status == ActivityStatusCode.Unset)
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }

            activity.Dispose();
        }
    }
}
