namespace RaftBalancer.Core.Tests.Health;

[Trait("Category", "Unit")]
public sealed class ProbeJitterTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Jitter = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(0.0, 4000)]
    [InlineData(0.25, 4500)]
    [InlineData(0.5, 5000)]
    [InlineData(0.75, 5500)]
    public void NextDelay_Sample_MapsLinearlyOntoIntervalPlusMinusJitter(double sample, int expectedMilliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), ProbeJitter.NextDelay(Interval, Jitter, sample));

    [Fact]
    public void NextDelay_SeededRandom_StaysWithinBoundsAndIsReproducible()
    {
        var options = new HealthCheckOptions();
        var first = new Random(42);
        var second = new Random(42);

        for (var i = 0; i < 1000; i++)
        {
            var delay = ProbeJitter.NextDelay(options, first);
            Assert.InRange(delay, TimeSpan.FromMilliseconds(4500), TimeSpan.FromMilliseconds(5500));
            Assert.Equal(delay, ProbeJitter.NextDelay(options, second));
        }
    }

    [Fact]
    public void NextDelay_ZeroJitter_ReturnsInterval() =>
        Assert.Equal(Interval, ProbeJitter.NextDelay(Interval, TimeSpan.Zero, 0.9));

    [Fact]
    public void NextDelay_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => ProbeJitter.NextDelay(null!, new Random(1)));
        Assert.Throws<ArgumentNullException>(() => ProbeJitter.NextDelay(new HealthCheckOptions(), null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbeJitter.NextDelay(TimeSpan.Zero, TimeSpan.Zero, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbeJitter.NextDelay(Interval, TimeSpan.FromTicks(-1), 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbeJitter.NextDelay(Interval, Interval, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbeJitter.NextDelay(Interval, Jitter, -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbeJitter.NextDelay(Interval, Jitter, 1.0));
    }
}
