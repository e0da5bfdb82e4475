namespace RaftBalancer.Node.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes (no fixed sleeps).</summary>
internal static class Eventually
{
    public static async Task AssertAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not up yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out after " + timeout + " waiting for: " + what);
            }

            await Task.Delay(25);
        }
    }

    public static Task AssertAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        AssertAsync(() => Task.FromResult(condition()), timeout, what);
}
