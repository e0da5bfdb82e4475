using Microsoft.Extensions.Options;
using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Health;
using RaftBalancer.Node.Diagnostics;
using RaftBalancer.Node.Options;
using RaftBalancer.Node.Store;
using RaftBalancer.State;

namespace RaftBalancer.Node.Probing;

/// <summary>Probes every configured backend from this node and writes its observations as <c>health/{backend}/{node}</c>.</summary>
/// <remarks>
/// One loop per backend: wait the jittered interval, probe, feed the <see cref="HealthStateMachine"/>, and write a
/// report when <see cref="HealthReportSchedule"/> says so (on change, debounced; refreshed before the TTL). Loops
/// follow the configured backend set (<see cref="ClusterStateMirror.DefinitionsChanged"/>). A failed write never stops
/// probing: the view publisher reads this node's own state directly.
/// </remarks>
internal sealed class HealthProbeService(
    ClusterStateMirror mirror,
    IStateStore store,
    LocalHealthRegistry registry,
    ProbeClient client,
    IOptions<HealthCheckOptions> health,
    IOptions<NodeOptions> options,
    TimeProvider time,
    Random random,
    NodeTelemetry telemetry,
    ILogger<HealthProbeService> logger) : BackgroundService
{
    private readonly HttpHealthProber _prober = new(client.Invoker, health.Value, time);
    private readonly HealthCheckOptions _health = health.Value;
    private readonly NodeOptions _options = options.Value;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (BackendDefinition Definition, CancellationTokenSource Stop, Task Loop)> _loops = new(StringComparer.Ordinal);
    private readonly TimeSpan _ttl = options.Value.EffectiveHealthReportTtl(health.Value);
    private readonly TimeSpan _debounce = options.Value.HealthReportDebounce ?? health.Value.Interval;
    private CancellationToken _stopping;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        mirror.DefinitionsChanged += Reconcile;
        try
        {
            Reconcile(mirror.Definitions);
            await Task.Delay(Timeout.InfiniteTimeSpan, time, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            mirror.DefinitionsChanged -= Reconcile;
            Task[] loops;
            lock (_gate)
            {
                loops = [.. _loops.Values.Select(l => l.Loop)];
                foreach (var loop in _loops.Values)
                {
                    loop.Stop.Cancel();
                }
            }

            await Task.WhenAll(loops);
            lock (_gate)
            {
                foreach (var loop in _loops.Values)
                {
                    loop.Stop.Dispose();
                }

                _loops.Clear();
            }
        }
    }

    private void Reconcile(IReadOnlyList<BackendDefinition> definitions)
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            var wanted = definitions.ToDictionary(d => d.Id, StringComparer.Ordinal);
            foreach (var (id, loop) in _loops.ToList())
            {
                if (!wanted.TryGetValue(id, out var definition) || definition.Url != loop.Definition.Url)
                {
                    loop.Stop.Cancel();
                    _loops.Remove(id);
                    registry.Remove(id);
                }
            }

            foreach (var definition in definitions)
            {
                if (_loops.ContainsKey(definition.Id))
                {
                    continue;
                }

                var machine = new HealthStateMachine(_health, time.GetUtcNow());
                registry.Set(definition.Id, machine);
                var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
                var loop = Task.Run(() => ProbeLoopAsync(definition, machine, stop.Token), CancellationToken.None);
                _loops[definition.Id] = (definition, stop, loop);
            }
        }
    }

    private async Task ProbeLoopAsync(BackendDefinition backend, HealthStateMachine machine, CancellationToken cancellationToken)
    {
        var schedule = new HealthReportSchedule(_debounce, _ttl / 3);
        var key = StoreLayout.Health(backend.Id, _options.Id);

        // Spread the first probes of many backends and nodes a little.
        var delay = TimeSpan.FromMilliseconds(NextDouble() * Math.Min(50, _health.Interval.TotalMilliseconds / 10));
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, time, cancellationToken);
                var probeStarted = System.Diagnostics.Stopwatch.GetTimestamp();
                var result = await _prober.ProbeAsync(backend.Url, cancellationToken);
                telemetry.ProbeDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(probeStarted).TotalSeconds, new KeyValuePair<string, object?>("backend", backend.Id));
                var now = time.GetUtcNow();
                var transition = machine.Record(result, now);
                if (transition.Changed && logger.IsEnabled(LogLevel.Information))
                {
                    var stateName = transition.Current.ToString();
                    Log.HealthChanged(logger, backend.Id, stateName, transition.Snapshot.Reason);
                }

                if (transition.Changed)
                {
                    registry.NotifyChanged();
                }

                var snapshot = machine.Current;
                if (schedule.ShouldWrite(snapshot.State, now))
                {
                    try
                    {
                        using var writeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        writeTimeout.CancelAfter(_health.Interval);
                        using var write = telemetry.StartStateWrite("health", key);
                        await store.SetAsync(key, StoreValues.Encode(backend.Id, _options.Id, snapshot, now), _ttl, writeTimeout.Token);
                        write.Complete();
                        schedule.MarkWritten(snapshot.State, now);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        Log.WriteFailed(logger, key, "timed out");
                    }
                    catch (StateStoreException ex)
                    {
                        Log.WriteFailed(logger, key, ex.Message);
                    }
                }

                delay = ProbeJitter.NextDelay(_health.Interval, _health.EffectiveJitter, NextDouble());
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // One backend's loop must never die: log and keep probing.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ProberFailed(logger, backend.Id, ex);
                delay = _health.Interval;
            }
        }
    }

    private double NextDouble()
    {
        lock (random)
        {
            return random.NextDouble();
        }
    }
}
