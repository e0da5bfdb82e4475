namespace RaftBalancer.Node.Views;

/// <summary>How other parts of the node (the admin API, the gRPC health service) learn about new views.</summary>
internal sealed partial class ViewPublisher
{
    private TaskCompletionSource _rebuilt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _hasStoreView;
    private long _rebuilds;

    /// <summary>Raised on the rebuild loop right after a new view was swapped in, once per version, in order.</summary>
    /// <remarks>Handlers must be quick and must not throw: they run on the rebuild loop.</remarks>
    public event Action<NodeView>? ViewChanged;

    /// <summary>True once a view was built from the replicated configuration (the cluster was seeded and this node has it).</summary>
    public bool HasStoreView => _hasStoreView;

    /// <summary>Waits until <paramref name="condition"/> holds for the current view, checking after every rebuild.</summary>
    /// <param name="condition">Tested against <see cref="Current"/>; must be cheap and side-effect free.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>The first view for which the condition held.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task<NodeView> WaitForAsync(Func<NodeView, bool> condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        while (true)
        {
            // Take the signal before testing, so a rebuild between the test and the wait is not missed.
            var rebuilt = Volatile.Read(ref _rebuilt).Task;
            var view = Current;
            if (condition(view))
            {
                return view;
            }

            await rebuilt.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Waits for the next rebuild (whether or not it produced a new version).</summary>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>A task that completes after the next rebuild.</returns>
    public Task WaitForRebuildAsync(CancellationToken cancellationToken) => Volatile.Read(ref _rebuilt).Task.WaitAsync(cancellationToken);

    /// <summary>Plans built since start (each compared with the current one; equal plans keep the view).</summary>
    public long Rebuilds => Interlocked.Read(ref _rebuilds);

    private void Rebuild()
    {
        Interlocked.Increment(ref _rebuilds);
        RebuildCore();
        Interlocked.Exchange(ref _rebuilt, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
