namespace RaftBalancer.TestSupport;

/// <summary>Waits on a condition with a deadline, never with a fixed sleep for correctness.</summary>
/// <remarks>
/// The probe runs every <see cref="Interval"/> until it holds or the deadline passes. A probe that throws
/// <see cref="HttpRequestException"/>, <see cref="IOException"/> or times out on its own (the thing probed is not up
/// yet) counts as "not yet". On the deadline a <see cref="TimeoutException"/> names what was awaited.
/// </remarks>
public static class Poll
{
    /// <summary>The pause between two probes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    /// <summary>Waits until <paramref name="probe"/> returns a value.</summary>
    /// <typeparam name="T">What the probe finds.</typeparam>
    /// <param name="what">What is awaited, for the timeout message.</param>
    /// <param name="timeout">The deadline, from now.</param>
    /// <param name="probe">Returns the value, or null while not there yet; gets a token cancelled at the deadline.</param>
    /// <param name="cancellationToken">Ends the wait early.</param>
    /// <returns>The first value found.</returns>
    /// <exception cref="TimeoutException">The deadline passed first.</exception>
    public static async Task<T> ForAsync<T>(string what, TimeSpan timeout, Func<CancellationToken, Task<T?>> probe, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            try
            {
                if (await probe(deadline.Token) is { } found)
                {
                    return found;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !deadline.IsCancellationRequested)
            {
                // Not up yet, or the probe's own timeout: try again.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(what, timeout);
            }

            try
            {
                await Task.Delay(Interval, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(what, timeout);
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="what">What is awaited, for the timeout message.</param>
    /// <param name="timeout">The deadline, from now.</param>
    /// <param name="condition">The condition; gets a token cancelled at the deadline.</param>
    /// <param name="cancellationToken">Ends the wait early.</param>
    /// <returns>A task that completes once the condition held.</returns>
    /// <exception cref="TimeoutException">The deadline passed first.</exception>
    public static Task UntilAsync(string what, TimeSpan timeout, Func<CancellationToken, Task<bool>> condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return ForAsync<object>(what, timeout, async ct => await condition(ct) ? what : null, cancellationToken);
    }

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="timeout">The deadline, from now.</param>
    /// <param name="what">What is awaited, for the timeout message.</param>
    /// <returns>A task that completes once the condition held.</returns>
    /// <exception cref="TimeoutException">The deadline passed first.</exception>
    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(what, timeout, _ => condition());
    }

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="timeout">The deadline, from now.</param>
    /// <param name="what">What is awaited, for the timeout message.</param>
    /// <returns>A task that completes once the condition held.</returns>
    /// <exception cref="TimeoutException">The deadline passed first.</exception>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(what, timeout, _ => Task.FromResult(condition()));
    }

    private static TimeoutException TimedOut(string what, TimeSpan timeout) =>
        new($"timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}");
}
