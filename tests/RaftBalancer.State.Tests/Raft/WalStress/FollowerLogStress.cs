using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using RaftBalancer.State.Raft;

namespace RaftBalancer.State.Tests.Raft.WalStress;

/// <summary>Drives a bare DotNext <see cref="WriteAheadLog"/> the way a Raft follower does under write load.</summary>
/// <remarks>
/// A follower appends batches from the leader and commits them (each append and commit wakes the WAL's background
/// flusher), and, when the leader has compacted past it, receives a snapshot installed at an index beyond its tail.
/// In DotNext.Net.Cluster 6.12.0 and 6.12.2 the flusher reads the snapshot index before it waits for its read lock and
/// does not read it again after: when an install holds the overwrite lock meanwhile, the flusher then flushes from its
/// old position up to the new snapshot index, asks for the metadata page of an index the follower never wrote, and dies
/// with <c>MissingPageException</c> ("WAL page N doesn't exist on the disk"). The WAL is dead from then on: every call
/// throws <see cref="WriteAheadLog.InternalException"/>. See docs/dotnext-wal-flush-race.md.
/// </remarks>
internal static class FollowerLogStress
{
    /// <summary>Runs the follower pattern until <paramref name="duration"/> passes or the WAL faults.</summary>
    /// <param name="directory">An empty directory for the WAL and snapshots.</param>
    /// <param name="duration">How long to run.</param>
    /// <param name="seed">Seed of the batch sizes, install gaps and install timing.</param>
    /// <param name="withFlushPositionFix">Whether the state machine applies RaftBalancer's <see cref="WalFlushPositionFix"/> on each install, as <c>PersistentStateMachine</c> does.</param>
    /// <param name="cancellationToken">Stops the run early.</param>
    /// <returns>Counts and the fault, if any.</returns>
    public static async Task<StressOutcome> RunAsync(string directory, TimeSpan duration, int seed, bool withFlushPositionFix = false, CancellationToken cancellationToken = default)
    {
        var machine = new CountingMachine(new DirectoryInfo(Path.Combine(directory, "snapshots")));
        await machine.RestoreAsync(cancellationToken);
        var wal = new WriteAheadLog(
            new WriteAheadLog.Options
            {
                Location = Path.Combine(directory, "wal"),
                ChunkSize = 64 * 1024,
                HashAlgorithm = WriteAheadLog.IntegrityHashAlgorithm.Crc32,
            },
            machine);
        if (withFlushPositionFix)
        {
            machine.FlushPositionFix = WalFlushPositionFix.TryCreate(wal)
                ?? throw new InvalidOperationException($"The WAL flush-position fix is unavailable: {WalFlushPositionFix.UnavailableReason}");
        }

        var random = new Random(seed);
        var payload = new byte[64];
        long writes = 0, installs = 0;
        Exception? fault = null;
        var clock = Stopwatch.StartNew();
        try
        {
            await wal.InitializeAsync(cancellationToken);
            while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                var count = random.Next(1, 40);
                var start = wal.LastEntryIndex + 1;
                for (var i = 0; i < count; i++)
                {
                    await wal.AppendAsync(new BinaryLogEntry { Term = 1, Content = payload }, start + i, cancellationToken);
                }

                await wal.CommitAsync(wal.LastEntryIndex, cancellationToken);
                writes += count;
                if (random.Next(20) == 0)
                {
                    // The leader compacted past this follower: it installs a snapshot beyond its tail.
                    await wal.AppendAsync(new SnapshotEntry { Term = 1 }, wal.LastEntryIndex + random.Next(1, 3000), cancellationToken);
                    installs++;
                }
            }

            await wal.FlushAsync(cancellationToken);
        }
        catch (WriteAheadLog.InternalException e)
        {
            fault = e;
        }
        finally
        {
            try
            {
                await wal.DisposeAsync();
            }
            catch (WriteAheadLog.InternalException e)
            {
                fault ??= e;
            }

            await machine.DisposeAsync();
        }

        return new StressOutcome(clock.Elapsed, writes, installs, fault, machine.FlushPositionFix?.Advances ?? 0);
    }

    /// <summary>A snapshot entry as the leader sends it: an 8-byte count.</summary>
    private readonly struct SnapshotEntry : IRaftLogEntry
    {
        public required long Term { get; init; }

        bool DotNext.IO.Log.ILogEntry.IsSnapshot => true;

        bool IDataTransferObject.IsReusable => true;

        long? IDataTransferObject.Length => sizeof(long);

        ValueTask IDataTransferObject.WriteToAsync<TWriter>(TWriter writer, CancellationToken token)
            => writer.Invoke(BitConverter.GetBytes(42L), token);
    }

    /// <summary>Counts applied entries; its snapshot is the count.</summary>
    private sealed class CountingMachine(DirectoryInfo location) : SimpleStateMachine(location)
    {
        private long _count;

        /// <summary>Gets or sets the fix applied after each restore that is a snapshot install (set once the WAL exists).</summary>
        public WalFlushPositionFix? FlushPositionFix { get; set; }

        protected override ValueTask<bool> ApplyAsync(LogEntry entry, CancellationToken token)
        {
            _count++;
            return ValueTask.FromResult(false);
        }

        protected override ValueTask PersistAsync(IAsyncBinaryWriter writer, CancellationToken token)
            => writer.WriteLittleEndianAsync(_count, token);

        protected override async ValueTask RestoreAsync(FileInfo snapshotFile, CancellationToken token)
        {
            var bytes = await File.ReadAllBytesAsync(snapshotFile.FullName, token);
            _count = bytes.Length >= sizeof(long) ? BitConverter.ToInt64(bytes) : 0;
            FlushPositionFix?.OnSnapshotInstalling(long.Parse(snapshotFile.Name.Split('-')[0], System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>What one stress run did.</summary>
/// <param name="Elapsed">How long it ran.</param>
/// <param name="Writes">Entries appended and committed.</param>
/// <param name="Installs">Snapshots installed past the tail.</param>
/// <param name="Fault">The WAL's internal fault, or <see langword="null"/> for a clean run.</param>
/// <param name="FixAdvances">How many installs the flush-position fix moved the flusher for (0 without the fix).</param>
internal sealed record StressOutcome(TimeSpan Elapsed, long Writes, long Installs, Exception? Fault, long FixAdvances = 0);
