namespace RaftBalancer.Chaos.Harness;

/// <summary>Condition waits with deadlines (never a fixed sleep for correctness).</summary>
internal static class Wait
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public static async Task UntilAsync(string what, TimeSpan timeout, Func<CancellationToken, Task<bool>> condition, CancellationToken cancellationToken)
    {
        await ForAsync<object>(what, timeout, async ct => await condition(ct) ? new object() : null, cancellationToken);
    }

    public static async Task<T> ForAsync<T>(string what, TimeSpan timeout, Func<CancellationToken, Task<T?>> probe, CancellationToken cancellationToken)
        where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            try
            {
                if (await probe(deadline.Token) is { } result)
                {
                    return result;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException && !deadline.IsCancellationRequested)
            {
                // A probe that timed out on its own (an HTTP timeout) is a "not yet".
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}");
            }

            try
            {
                await Task.Delay(Poll, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}");
            }
        }
    }
}
