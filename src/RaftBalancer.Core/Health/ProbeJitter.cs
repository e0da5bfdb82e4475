namespace RaftBalancer.Core.Health;

/// <summary>Computes the randomised delay between two probes of one backend.</summary>
/// <remarks>
/// Jitter spreads the probes of many nodes over time so a backend is not hit by the whole
/// cluster at once. Randomness is injected so schedules are reproducible in tests.
/// </remarks>
public static class ProbeJitter
{
    /// <summary>Returns a delay uniformly distributed in [interval − jitter, interval + jitter).</summary>
    /// <param name="options">Valid health check options supplying the interval and jitter.</param>
    /// <param name="random">The source of randomness (use a seeded or shared instance; never <see cref="Random.Shared"/> in logic).</param>
    /// <returns>The delay before the next probe; always greater than zero for valid options.</returns>
    public static TimeSpan NextDelay(HealthCheckOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        return NextDelay(options.Interval, options.EffectiveJitter, random.NextDouble());
    }

    /// <summary>Returns <paramref name="interval"/> moved by up to <paramref name="jitter"/> either way, as chosen by <paramref name="sample"/>.</summary>
    /// <param name="interval">The mean delay; greater than zero.</param>
    /// <param name="jitter">The maximum deviation; at least zero and less than <paramref name="interval"/>.</param>
    /// <param name="sample">A uniform sample in [0, 1): 0 gives interval − jitter, 0.5 gives interval.</param>
    /// <returns>The delay before the next probe.</returns>
    public static TimeSpan NextDelay(TimeSpan interval, TimeSpan jitter, double sample)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(jitter, interval);
        ArgumentOutOfRangeException.ThrowIfLessThan(sample, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sample, 1.0);

        var offsetTicks = (long)Math.Round(((2 * sample) - 1) * jitter.Ticks);
        return interval + TimeSpan.FromTicks(offsetTicks);
    }
}
