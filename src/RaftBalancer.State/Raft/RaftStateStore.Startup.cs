using System.Net;
using System.Net.Sockets;
using DotNext.IO.Log;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Membership;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RaftBalancer.State.Raft.Chaos;
using RaftBalancer.State.Raft.Transport;
using RaftBalancer.State.Watching;

namespace RaftBalancer.State.Raft;

public sealed partial class RaftStateStore
{
    /// <summary>Validates the options, recovers state from the data directory, joins the cluster and starts serving.</summary>
    /// <param name="options">Settings; every invalid field is reported at once.</param>
    /// <param name="loggerFactory">Logging; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">Clock used to stamp entries and sweep expiries; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The running store.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid (each message names its field).</exception>
    /// <exception cref="StateStoreCorruptException">The data directory is damaged; the message names the file and offset.</exception>
    /// <exception cref="StateStoreException">A port cannot be bound.</exception>
    public static Task<RaftStateStore> StartAsync(
        RaftStoreOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default) =>
        StartCoreAsync(options, null, loggerFactory, timeProvider, cancellationToken);

    /// <summary>Starts like <see cref="StartAsync"/>, with the chaos fault seam on this node's outbound Raft and forwarding traffic.</summary>
    /// <remarks>
    /// For the chaos harness only: the node uses DotNext's custom connection-oriented transport (same Raft protocol,
    /// real TCP sockets through Kestrel's socket transport) so that every outbound connection passes through
    /// <paramref name="chaos"/>. Never reached from a production configuration.
    /// </remarks>
    /// <param name="options">Settings; every invalid field is reported at once.</param>
    /// <param name="chaos">The fault switches the harness controls.</param>
    /// <param name="loggerFactory">Logging; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">Clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The running store.</returns>
    public static Task<RaftStateStore> StartWithChaosAsync(
        RaftStoreOptions options,
        ChaosFaults chaos,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chaos);
        return StartCoreAsync(options, chaos, loggerFactory, timeProvider, cancellationToken);
    }

    private static async Task<RaftStateStore> StartCoreAsync(
        RaftStoreOptions options,
        ChaosFaults? chaos,
        ILoggerFactory? loggerFactory,
        TimeProvider? timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new RaftStoreOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(RaftStoreOptions.SectionName, typeof(RaftStoreOptions), validation.Failures);
        }

        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<RaftStateStore>();
        var self = options.Members.Single(m => m.Id == options.NodeId);
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        Log.RaftStarting(logger, options.NodeId, self.RaftAddress, self.ForwardAddress, dataDirectory);

        var walOptions = new WriteAheadLog.Options
        {
            Location = Path.Combine(dataDirectory, "wal"),
            ChunkSize = options.SegmentSize,
            HashAlgorithm = WriteAheadLog.IntegrityHashAlgorithm.Crc32,
        };

        var watchers = new WatchHub();
        PersistentStateMachine? machine = null;
        WriteAheadLog? wal = null;
        RaftCluster? cluster = null;
        PeerConnectionFactory? peerConnections = null;
        try
        {
            WalIntegrity.CheckFiles(walOptions.Location, walOptions.ChunkSize);
            machine = new PersistentStateMachine(new DirectoryInfo(Path.Combine(dataDirectory, "snapshots")), options.SnapshotInterval, watchers);

            // Restore first, or the WAL replays the whole log from index 1.
            await machine.RestoreAsync(cancellationToken);
            wal = new WriteAheadLog(walOptions, machine);
            try
            {
                await wal.InitializeAsync(cancellationToken);
            }
            catch (Exception e) when (e is IntegrityException or StateStoreCorruptException)
            {
                throw WalIntegrity.Explain(walOptions.Location, walOptions.ChunkSize, e);
            }

            Log.RaftRecovered(logger, options.NodeId, machine.LastSnapshotIndex, wal.LastCommittedEntryIndex, machine.Current.Revision);

            var (configuration, connections) = RaftTransport.Configure(options, self, chaos, ConnectTimeoutOf(options), loggerFactory);
            peerConnections = connections;
            var membership = ((InMemoryClusterConfigurationStorage<EndPoint>)configuration.ConfigurationStorage!).CreateInitialConfigurationBuilder();
            foreach (var member in options.Members)
            {
                membership.Add(IPEndPoint.Parse(member.RaftAddress));
            }

            membership.Build();
            cluster = new RaftCluster(configuration) { AuditTrail = wal };
            var store = new RaftStateStore(options, logger, timeProvider ?? TimeProvider.System, watchers, machine, wal, cluster, chaos, peerConnections);
            cluster.LeaderChanged += store.OnLeaderChanged;
            try
            {
                await cluster.StartAsync(cancellationToken);
            }
            catch (Exception e) when (e is SocketException or Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                throw new StateStoreException($"Raft node '{options.NodeId}' cannot listen on {self.RaftAddress} ({options.SectionNameOf("RaftAddress")}): {e.Message}", e);
            }

            try
            {
                store._forwardServer = await ForwardingServer.StartAsync(IPEndPoint.Parse(self.ForwardAddress), store.HandleForwardAsync, store.GetProgress, cancellationToken);
            }
            catch
            {
                await cluster.StopAsync(CancellationToken.None);
                throw;
            }

            store._electionGuard = new ElectionGuard(cluster, peerConnections, options, store._time, logger);
            store._sweeper = store.SweepExpiredAsync(store._lifetime.Token);
            return store;
        }
        catch (Exception e)
        {
            Log.StartRefused(logger, options.NodeId, e.Message);
            cluster?.Dispose();
            peerConnections?.Dispose();
            if (wal is not null)
            {
                await wal.DisposeAsync();
            }

            if (machine is not null)
            {
                await machine.DisposeAsync();
            }

            throw;
        }
    }

    private static TimeSpan ConnectTimeoutOf(RaftStoreOptions options) =>
        TimeSpan.FromMilliseconds(Math.Max(100, options.ElectionTimeoutLower.TotalMilliseconds));

    private void OnLeaderChanged(DotNext.Net.Cluster.ICluster sender, DotNext.Net.Cluster.IClusterMember? leader)
    {
        if (leader is null)
        {
            Log.NoLeader(_logger, NodeId, Term);
        }
        else
        {
            Interlocked.Increment(ref _leaderChanges);
            if (!leader.IsRemote)
            {
                // The term this node's leadership belongs to; a leader that was paused and learns a newer term is not
                // reported as leading in it (see Leadership).
                Volatile.Write(ref _leadershipTerm, _cluster.Term);
            }

            Log.LeaderChanged(_logger, NodeId, _membersByRaftAddress.TryGetValue(leader.EndPoint, out var m) ? m.Id : "?", Term);
        }
    }
}
