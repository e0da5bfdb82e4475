using System.Reflection;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace RaftBalancer.State.Raft;

/// <summary>Keeps DotNext's WAL flusher from flushing up to a snapshot the follower has just installed past its tail.</summary>
/// <remarks>
/// <para>
/// DotNext.Net.Cluster 6.12's background flusher reads the snapshot index before it waits for the WAL's read lock
/// and does not read it again after. When a snapshot install (which holds the WAL's overwrite lock) moves the log
/// from tail T to snapshot index S &gt; T meanwhile, the flusher wakes with the old snapshot index, flushes from its
/// old position up to S, asks for the metadata page of an index that was never written and dies with
/// <c>MissingPageException</c>. A flusher that sees the new snapshot index computes its start as S + 1 and flushes
/// nothing. See docs/dotnext-wal-flush-race.md.
/// </para>
/// <para>
/// This class closes the window: the state machine calls <see cref="OnSnapshotInstalling"/> from
/// <c>RestoreAsync</c>, which DotNext runs inside the install, under the overwrite lock (the flusher cannot be in its
/// locked section then). It moves the flusher's unflushed position to S + 1 — the position a flusher that saw the new
/// snapshot would use — so the stale flusher finds nothing to flush either. DotNext exposes no API for that position:
/// the WAL's private <c>UnflushedIndex</c> setter (it takes the flusher state's own lock) is reached by reflection,
/// resolved and checked once per process. If a DotNext upgrade removes or changes it, <see cref="TryCreate"/> returns
/// <see langword="null"/>, the store logs a warning with <see cref="UnavailableReason"/>, and the node relies on the
/// fence-and-recover guard alone (RaftStateStore.LogHealth.cs), as before this fix.
/// </para>
/// </remarks>
internal sealed class WalFlushPositionFix
{
    /// <summary>The private member of <see cref="WriteAheadLog"/> this fix writes.</summary>
    internal const string MemberName = "UnflushedIndex";

    private static readonly (Action<WriteAheadLog, long>? Setter, string? Problem) Target = Resolve();

    private readonly WriteAheadLog _wal;
    private readonly Action<WriteAheadLog, long> _setUnflushedIndex;
    private long _advances;

    private WalFlushPositionFix(WriteAheadLog wal, Action<WriteAheadLog, long> setUnflushedIndex)
    {
        _wal = wal;
        _setUnflushedIndex = setUnflushedIndex;
    }

    /// <summary>Gets whether the DotNext in use has the member this fix needs.</summary>
    public static bool IsAvailable => Target.Setter is not null;

    /// <summary>Gets why the fix cannot be applied to the DotNext in use, or <see langword="null"/> when it can.</summary>
    public static string? UnavailableReason => Target.Problem;

    /// <summary>Gets the version of the DotNext.Net.Cluster assembly in use (for the start-up log).</summary>
    public static string DotNextVersion => typeof(WriteAheadLog).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Gets how many snapshot installs moved the flusher's position.</summary>
    public long Advances => Interlocked.Read(ref _advances);

    /// <summary>Binds the fix to <paramref name="wal"/>, or returns <see langword="null"/> when the DotNext in use lacks the member (see <see cref="UnavailableReason"/>).</summary>
    /// <param name="wal">The log whose state machine will call <see cref="OnSnapshotInstalling"/>.</param>
    /// <returns>The fix, or <see langword="null"/>.</returns>
    public static WalFlushPositionFix? TryCreate(WriteAheadLog wal)
    {
        ArgumentNullException.ThrowIfNull(wal);
        return Target.Setter is { } setter ? new WalFlushPositionFix(wal, setter) : null;
    }

    /// <summary>Moves the flusher past a snapshot being installed beyond the log's tail.</summary>
    /// <remarks>
    /// Call only from the state machine's <c>RestoreAsync</c> while the WAL installs a snapshot (under its overwrite
    /// lock), after the state was restored: the WAL has not yet moved its tail then, so <see cref="WriteAheadLog.LastEntryIndex"/>
    /// is the old tail T. Only S &gt; T is the faulting case, and there the old flush position (at most T + 1) is
    /// below S + 1, so the position only moves forward. The entries between it and T are covered by the snapshot;
    /// DotNext itself skips them when its flusher reads the snapshot index in time.
    /// </remarks>
    /// <param name="snapshotIndex">The index S of the snapshot being installed.</param>
    public void OnSnapshotInstalling(long snapshotIndex)
    {
        if (snapshotIndex > _wal.LastEntryIndex)
        {
            _setUnflushedIndex(_wal, snapshotIndex + 1);
            Interlocked.Increment(ref _advances);
        }
    }

    /// <summary>Checks that <paramref name="walType"/> has the member this fix writes, with the expected shape.</summary>
    /// <param name="walType">The WAL type (<see cref="WriteAheadLog"/>; tests pass others).</param>
    /// <returns><see langword="null"/> when it does; otherwise what is missing or different.</returns>
    internal static string? Check(Type walType)
    {
        ArgumentNullException.ThrowIfNull(walType);
        var property = walType.GetProperty(MemberName, BindingFlags.Instance | BindingFlags.NonPublic);
        if (property is null)
        {
            return $"{walType.FullName} has no private instance property {MemberName}";
        }

        if (property.PropertyType != typeof(long))
        {
            return $"{walType.FullName}.{MemberName} is a {property.PropertyType.FullName}, not a System.Int64";
        }

        return property.SetMethod is { IsStatic: false } setter && setter.GetParameters().Length == 1
            ? null
            : $"{walType.FullName}.{MemberName} has no instance setter";
    }

    private static (Action<WriteAheadLog, long>?, string?) Resolve()
    {
        if (Check(typeof(WriteAheadLog)) is { } problem)
        {
            return (null, problem);
        }

        try
        {
            var setter = typeof(WriteAheadLog).GetProperty(MemberName, BindingFlags.Instance | BindingFlags.NonPublic)!.SetMethod!;
            return (setter.CreateDelegate<Action<WriteAheadLog, long>>(), null);
        }
        catch (Exception e) when (e is ArgumentException or MemberAccessException)
        {
            return (null, $"{typeof(WriteAheadLog).FullName}.{MemberName} cannot be bound: {e.Message}");
        }
    }
}
