using System.Net;
using System.Net.Sockets;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Membership;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using RaftBalancer.State.Raft;

namespace RaftBalancer.State.LoadTest;

/// <summary>The baseline: 3 in-process DotNext Raft members with nothing of ours on the write path.</summary>
/// <remarks>
/// Same settings as <see cref="RaftStateStore"/> builds from <see cref="RaftStoreOptions"/> defaults: election timeouts,
/// heartbeat threshold, request and connect timeouts, <c>ColdStart = false</c> with static membership, a
/// <see cref="WriteAheadLog"/> with the same chunk size and CRC-32 integrity. The state machine only counts entries
/// (snapshot every <see cref="RaftStoreOptions.SnapshotInterval"/> entries, like ours). A write is
/// <c>RaftCluster.ReplicateAsync</c> of a pre-built payload as long as our encoded entry, on the leader.
/// <para>
/// Two transports: <see cref="BareTransport.Custom"/> is DotNext's connection-oriented custom transport over Kestrel's
/// socket listener and a plain socket connection factory (what our store uses, minus our connection tracking), and
/// <see cref="BareTransport.Tcp"/> is DotNext's built-in TCP transport (what /work/shared/notes measured).
/// </para>
/// </remarks>
internal sealed class BareDotNextCluster : IAsyncDisposable
{
    private readonly List<(RaftCluster Cluster, WriteAheadLog Wal, CountingStateMachine Machine, IDisposable? Connections)> _members;

    private BareDotNextCluster(List<(RaftCluster, WriteAheadLog, CountingStateMachine, IDisposable?)> members) => _members = members;

    public static async Task<BareDotNextCluster> StartAsync(string root, BareTransport transport, IReadOnlyList<IPEndPoint> addresses)
    {
        var defaults = new RaftStoreOptions();
        var members = new List<(RaftCluster, WriteAheadLog, CountingStateMachine, IDisposable?)>();
        foreach (var address in addresses)
        {
            var directory = Path.Combine(root, address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var machine = new CountingStateMachine(new DirectoryInfo(Path.Combine(directory, "snapshots")), defaults.SnapshotInterval);
            await machine.RestoreAsync();
            var wal = new WriteAheadLog(
                new WriteAheadLog.Options
                {
                    Location = Path.Combine(directory, "wal"),
                    ChunkSize = defaults.SegmentSize,
                    HashAlgorithm = WriteAheadLog.IntegrityHashAlgorithm.Crc32,
                },
                machine);
            await wal.InitializeAsync();

            IDisposable? connections = null;
            RaftCluster.NodeConfiguration configuration;
            if (transport == BareTransport.Tcp)
            {
                configuration = new RaftCluster.TcpConfiguration(address)
                {
                    LowerElectionTimeout = (int)defaults.ElectionTimeoutLower.TotalMilliseconds,
                    UpperElectionTimeout = (int)defaults.ElectionTimeoutUpper.TotalMilliseconds,
                    HeartbeatThreshold = defaults.HeartbeatThreshold,
                    RequestTimeout = defaults.RequestTimeout,
                    ConnectTimeout = ConnectTimeout(defaults),
                    ColdStart = false,
                    ConfigurationStorage = null,
                };
            }
            else
            {
                var listener = new SocketTransportFactory(Microsoft.Extensions.Options.Options.Create(new SocketTransportOptions { NoDelay = true }), NullLoggerFactory.Instance);
                var client = new PlainConnectionFactory();
                connections = client;
                configuration = new RaftCluster.CustomTransportConfiguration(address, listener, client)
                {
                    LowerElectionTimeout = (int)defaults.ElectionTimeoutLower.TotalMilliseconds,
                    UpperElectionTimeout = (int)defaults.ElectionTimeoutUpper.TotalMilliseconds,
                    HeartbeatThreshold = defaults.HeartbeatThreshold,
                    RequestTimeout = defaults.RequestTimeout,
                    ConnectTimeout = ConnectTimeout(defaults),
                    ColdStart = false,
                    ConfigurationStorage = null,
                };
            }

            var membership = ((InMemoryClusterConfigurationStorage<EndPoint>)configuration.ConfigurationStorage!).CreateInitialConfigurationBuilder();
            foreach (var member in addresses)
            {
                membership.Add(member);
            }

            membership.Build();
            members.Add((new RaftCluster(configuration) { AuditTrail = wal }, wal, machine, connections));
        }

        foreach (var (cluster, _, _, _) in members)
        {
            await cluster.StartAsync(CancellationToken.None);
        }

        return new BareDotNextCluster(members);
    }

    /// <summary>Returns the baseline's write: replicate one entry on the leader, return after commit and apply there.</summary>
    /// <remarks>
    /// Like a write to our store, it waits out a leader change (a loaded box sometimes has one mid-run): on
    /// <see cref="NotLeaderException"/> it waits 20 ms (our store's retry delay), finds the new leader and tries again,
    /// for up to 5 s (our store's default write timeout).
    /// </remarks>
    public async Task<Func<ReadOnlyMemory<byte>, Task>> LeaderWriterAsync()
    {
        var leader = await FindLeaderAsync(CancellationToken.None);
        return async payload =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            while (true)
            {
                var cluster = Volatile.Read(ref leader);
                try
                {
                    await cluster.ReplicateAsync(new BinaryLogEntry { Term = cluster.Term, Content = payload }, timeout.Token);
                    return;
                }
                catch (NotLeaderException)
                {
                    await Task.Delay(20, timeout.Token);
                    Volatile.Write(ref leader, await FindLeaderAsync(timeout.Token));
                }
            }
        };
    }

    private async Task<RaftCluster> FindLeaderAsync(CancellationToken cancellationToken)
    {
        await _members[0].Cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), cancellationToken);
        RaftCluster? cluster;
        while ((cluster = _members.Select(m => m.Cluster).FirstOrDefault(c => !c.LeadershipToken.IsCancellationRequested)) is null)
        {
            await Task.Delay(10, cancellationToken);
        }

        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (cluster, wal, machine, connections) in _members)
        {
            await cluster.StopAsync(CancellationToken.None);
            cluster.Dispose();
            connections?.Dispose();
            await wal.DisposeAsync();
            await machine.DisposeAsync();
        }
    }

    private static TimeSpan ConnectTimeout(RaftStoreOptions options) =>
        TimeSpan.FromMilliseconds(Math.Max(100, options.ElectionTimeoutLower.TotalMilliseconds));

    /// <summary>Counts applied entries; snapshots hold the count.</summary>
    private sealed class CountingStateMachine(DirectoryInfo location, int snapshotInterval) : SimpleStateMachine(location)
    {
        private long _count;
        private long _lastSnapshotIndex;

        protected override ValueTask<bool> ApplyAsync(LogEntry entry, CancellationToken token)
        {
            _count++;
            if (entry.Index - _lastSnapshotIndex >= snapshotInterval)
            {
                _lastSnapshotIndex = entry.Index;
                return ValueTask.FromResult(true);
            }

            return ValueTask.FromResult(false);
        }

        protected override ValueTask PersistAsync(IAsyncBinaryWriter writer, CancellationToken token)
            => writer.WriteLittleEndianAsync(_count, token);

        protected override async ValueTask RestoreAsync(FileInfo snapshotFile, CancellationToken token)
        {
            var bytes = await File.ReadAllBytesAsync(snapshotFile.FullName, token);
            _count = bytes.Length >= 8 ? BitConverter.ToInt64(bytes) : 0;
        }
    }

    /// <summary>Opens plain TCP connections through Kestrel's socket connection factory (no tracking, no gate).</summary>
    private sealed class PlainConnectionFactory : IConnectionFactory, IDisposable
    {
        private readonly SocketConnectionContextFactory _sockets = new(new SocketConnectionFactoryOptions(), NullLoggerFactory.Instance.CreateLogger("bare"));

        public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            return _sockets.Create(socket);
        }

        public void Dispose() => _sockets.Dispose();
    }
}

/// <summary>Which DotNext transport the baseline uses.</summary>
internal enum BareTransport
{
    /// <summary>DotNext's custom transport over Kestrel sockets, as our store uses.</summary>
    Custom,

    /// <summary>DotNext's built-in TCP transport.</summary>
    Tcp,
}
