using Microsoft.Extensions.Options;
using RaftBalancer.Core.Backends;
using RaftBalancer.Node.Options;
using RaftBalancer.Node.Store;
using RaftBalancer.State;

namespace RaftBalancer.Node.Hosting;

/// <summary>Writes the file's initial backends and policy into the store when the cluster has none yet; retries until the store accepts.</summary>
internal sealed class SeedService : BackgroundService
{
    private readonly IStateStore _store;
    private readonly NodeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SeedService> _logger;

    public SeedService(IStateStore store, IOptions<NodeOptions> options, TimeProvider time, ILogger<SeedService> logger)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SeedAsync(stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StateStoreException ex)
            {
                Log.SeedFailed(_logger, ex.Message);
            }

            try
            {
                await Task.Delay(delay, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        var seeded = 0;
        var existing = await _store.ListAsync(StoreLayout.BackendsPrefix, ReadConsistency.Linearizable, cancellationToken);
        if (existing.Count == 0)
        {
            foreach (var backend in _options.Backends)
            {
                var definition = new BackendDefinition(backend.Id, backend.Url, backend.Weight, backend.Draining);
                await _store.SetAsync(StoreLayout.Backend(definition.Id), StoreValues.Encode(definition), ttl: null, cancellationToken);
                seeded++;
            }
        }

        if (await _store.GetAsync(StoreLayout.Policy, ReadConsistency.Linearizable, cancellationToken) is null)
        {
            await _store.SetAsync(StoreLayout.Policy, StoreValues.EncodePolicy(_options.Policy), ttl: null, cancellationToken);
        }

        Log.Seeded(_logger, seeded, _options.Policy);
    }
}
