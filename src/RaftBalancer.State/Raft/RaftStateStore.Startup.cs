using System.Net;
using System.Net.Sockets;
using DotNext.IO.Log;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Membership;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
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
        StartAsync(options, linkHooks: null, loggerFactory, timeProvider, cancellationToken);

    /// <summary>Starts like <see cref="StartAsync(RaftStoreOptions, ILoggerFactory?, TimeProvider?, CancellationToken)"/>, calling
    /// <paramref name="linkHooks"/> on this node's outbound traffic to its peers.</summary>
    /// <param name="options">Settings; every invalid field is reported at once.</param>
    /// <param name="linkHooks">The hooks (a test host's link faults); <see langword="null"/> calls none, as in production.</param>
    /// <param name="loggerFactory">Logging; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">Clock used to stamp entries and sweep expiries; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The running store.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid (each message names its field).</exception>
    /// <exception cref="StateStoreCorruptException">The data directory is damaged; the message names the file and offset.</exception>
    /// <exception cref="StateStoreException">A port cannot be bound.</exception>
    public static async Task<RaftStateStore> StartAsync(
        RaftStoreOptions options,
        IPeerLinkHooks? linkHooks,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
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

        var watchers = new WatchHub();
        RaftMember? member = null;
        try
        {
            var credentials = options.Tls.IsConfigured ? LoadCredentials(options, logger) : null;
            if (credentials is null)
            {
                Log.PeerTlsOff(logger, options.NodeId);
            }
            else
            {
                Log.PeerTlsOn(logger, options.NodeId, options.Tls.CertificateFile, options.Tls.CaFile);
            }

            member = await OpenMemberAsync(options, self, linkHooks, credentials, watchers, loggerFactory, logger, cancellationToken);
            var (machine, wal, cluster, peerConnections) = member;
            var store = new RaftStateStore(new RaftStoreComponents
            {
                Options = options,
                Logger = logger,
                Time = timeProvider ?? TimeProvider.System,
                Watchers = watchers,
                Machine = machine,
                Wal = wal,
                Cluster = cluster,
                PeerConnections = peerConnections,
                PeerCredentials = credentials,
                LinkHooks = linkHooks,
            });
            store._loggerFactory = loggerFactory;
            store._linkHooks = linkHooks;
            store._peerCredentials = credentials;
            cluster.LeaderChanged += store.OnLeaderChanged;
            await StartMemberAsync(cluster, options, self, cancellationToken);
            try
            {
                store._forwardServer = await WriteForwardingServer.StartAsync(IPEndPoint.Parse(self.ForwardAddress), store.HandleForwardAsync, store.GetProgress, credentials, cancellationToken);
            }
            catch
            {
                await cluster.StopAsync(CancellationToken.None);
                throw;
            }

            store._electionGuard = new ElectionGuard(cluster, peerConnections, options, store._time, logger);
            store._sweeper = store.SweepExpiredAsync(store._lifetime.Token);
            store._logWatch = store.WatchLogAsync(store._lifetime.Token);
            return store;
        }
        catch (Exception e)
        {
            Log.StartRefused(logger, options.NodeId, e.Message);
            if (member is not null)
            {
                await member.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Recovers the state machine and the WAL from the data directory and builds (does not start) the Raft member.</summary>
    /// <remarks>Used at start-up and when the node recovers from a damaged log (see <see cref="RecoverAsync"/>).</remarks>
    private static async Task<RaftMember> OpenMemberAsync(
        RaftStoreOptions options,
        RaftMemberOptions self,
        IPeerLinkHooks? linkHooks,
        Security.PeerCredentials? credentials,
        WatchHub watchers,
        ILoggerFactory loggerFactory,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        var walOptions = new WriteAheadLog.Options
        {
            Location = Path.Combine(dataDirectory, "wal"),
            ChunkSize = options.SegmentSize,
            HashAlgorithm = WriteAheadLog.IntegrityHashAlgorithm.Crc32,
        };

        PersistentStateMachine? machine = null;
        WriteAheadLog? wal = null;
        try
        {
            WalIntegrity.CheckFiles(walOptions.Location, walOptions.ChunkSize);
            machine = new PersistentStateMachine(new DirectoryInfo(Path.Combine(dataDirectory, "snapshots")), options.SnapshotInterval, watchers);

            // Restore first, or the WAL replays the whole log from index 1.
            await machine.RestoreAsync(cancellationToken);
            wal = new WriteAheadLog(walOptions, machine);
            if (WalFlushPositionFix.TryCreate(wal) is { } flushPositionFix)
            {
                machine.UseFlushPositionFix(flushPositionFix);
                Log.WalFlushFixActive(logger, options.NodeId, WalFlushPositionFix.DotNextVersion);
            }
            else
            {
                Log.WalFlushFixUnavailable(logger, options.NodeId, WalFlushPositionFix.DotNextVersion, WalFlushPositionFix.UnavailableReason ?? "unknown");
            }

            try
            {
                await wal.InitializeAsync(cancellationToken);
            }
            catch (Exception e) when (e is IntegrityException or StateStoreCorruptException)
            {
                throw WalIntegrity.Explain(walOptions.Location, walOptions.ChunkSize, e);
            }

            Log.RaftRecovered(logger, options.NodeId, machine.LastSnapshotIndex, wal.LastCommittedEntryIndex, machine.Current.Revision);

            var (configuration, connections) = RaftTransport.Configure(options, self, linkHooks, credentials, ConnectTimeoutOf(options), loggerFactory);
            var membership = ((InMemoryClusterConfigurationStorage<EndPoint>)configuration.ConfigurationStorage!).CreateInitialConfigurationBuilder();
            foreach (var member in options.Members)
            {
                membership.Add(IPEndPoint.Parse(member.RaftAddress));
            }

            membership.Build();
            return new RaftMember(machine, wal, new RaftCluster(configuration) { AuditTrail = wal }, connections);
        }
        catch
        {
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

    private static async Task StartMemberAsync(RaftCluster cluster, RaftStoreOptions options, RaftMemberOptions self, CancellationToken cancellationToken)
    {
        try
        {
            await cluster.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is SocketException or Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            throw new StateStoreException($"Raft node '{options.NodeId}' cannot listen on {self.RaftAddress} ({options.SectionNameOf("RaftAddress")}): {e.Message}", e);
        }
    }

    private static Security.PeerCredentials LoadCredentials(RaftStoreOptions options, ILogger logger)
    {
        try
        {
            // Certificate validity is judged by the real clock, not the store's (a test's fake clock stamps entries only).
            return new Security.PeerCredentials(options.Tls, options.NodeId, options.Members.Select(m => m.Id), logger);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new StateStoreException(
                $"Raft node '{options.NodeId}' cannot load its TLS material ({RaftStoreOptions.SectionName}:Tls:CertificateFile '{options.Tls.CertificateFile}', "
                + $"Tls:KeyFile '{options.Tls.KeyFile}', Tls:CaFile '{options.Tls.CaFile}'): {e.Message}",
                e);
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
