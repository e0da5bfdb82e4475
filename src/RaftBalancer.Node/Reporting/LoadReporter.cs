using Microsoft.Extensions.Options;
using RaftBalancer.Core.Balancing;
using RaftBalancer.Node.Diagnostics;
using RaftBalancer.Node.Options;
using RaftBalancer.Node.Store;
using RaftBalancer.State;

namespace RaftBalancer.Node.Reporting;

/// <summary>Writes this node's active counts as <c>load/{node}</c> every report interval when they changed, and reclaims leaked starts.</summary>
/// <remarks>
/// An unchanged report is rewritten at half its TTL so it never expires while the node lives. With the ops listener
/// on, each report also carries the node's served totals (<see cref="ServedRequests"/>) for the dashboards'
/// cluster-wide rates; they ride along and never cause a write of their own.
/// </remarks>
internal sealed class LoadReporter(IStateStore store, ConnectionTracker tracker, IOptions<NodeOptions> options, TimeProvider time, ILogger<LoadReporter> logger, NodeTelemetry? telemetry = null, ServedRequests? served = null) : BackgroundService
{
    private readonly NodeOptions _options = options.Value;
    private readonly string _key = StoreLayout.Load(options.Value.Id);
    private readonly TimeSpan _ttl = options.Value.EffectiveLoadReportTtl;
    private long _written;
    private long _intervals;

    /// <summary>How many reports were written.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>How many report intervals were handled, with or without a write (a test can wait for one).</summary>
    public long Intervals => Interlocked.Read(ref _intervals);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.LoadReportInterval, time);
        IReadOnlyDictionary<string, long>? last = null;
        var lastWrite = DateTimeOffset.MinValue;
        ulong sequence = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    tracker.Reclaim();
                    var snapshot = tracker.Snapshot();
                    var now = time.GetUtcNow();
                    if (last is not null && Same(last, snapshot) && now - lastWrite < _ttl / 2)
                    {
                        continue;
                    }

                    try
                    {
                        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                        timeout.CancelAfter(_ttl);
                        using var write = telemetry?.StartStateWrite("load", _key);
                        await store.SetAsync(_key, StoreValues.EncodeLoad(_options.Id, ++sequence, snapshot, now, served?.Snapshot()), _ttl, timeout.Token);
                        write?.Complete();
                        last = snapshot;
                        lastWrite = now;
                        Interlocked.Increment(ref _written);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        Log.WriteFailed(logger, _key, "timed out");
                    }
                    catch (StateStoreException ex)
                    {
                        Log.WriteFailed(logger, _key, ex.Message);
                    }
                }
                finally
                {
                    Interlocked.Increment(ref _intervals);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static bool Same(IReadOnlyDictionary<string, long> a, IReadOnlyDictionary<string, long> b)
    {
        foreach (var (id, count) in a)
        {
            if (b.GetValueOrDefault(id) != count)
            {
                return false;
            }
        }

        foreach (var (id, count) in b)
        {
            if (a.GetValueOrDefault(id) != count)
            {
                return false;
            }
        }

        return true;
    }
}
