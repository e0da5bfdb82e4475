namespace RaftBalancer.Node.Tests.Probing;

[Trait("Category", "Unit")]
public sealed class HealthReportScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ShouldWrite_FirstObservation_WritesAtOnce()
    {
        var schedule = new HealthReportSchedule(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        Assert.True(schedule.ShouldWrite(HealthState.Unknown, T0));
    }

    [Fact]
    public void ShouldWrite_FlappingWithinWindow_AtMostOneChangeWritePerWindow()
    {
        var window = TimeSpan.FromSeconds(1);
        var schedule = new HealthReportSchedule(window, TimeSpan.FromSeconds(10));
        var writes = new List<DateTimeOffset>();
        var state = HealthState.Healthy;
        for (var ms = 0; ms <= 5000; ms += 100)
        {
            var now = T0.AddMilliseconds(ms);
            state = state == HealthState.Healthy ? HealthState.Unhealthy : HealthState.Healthy;
            if (schedule.ShouldWrite(state, now))
            {
                schedule.MarkWritten(state, now);
                writes.Add(now);
            }
        }

        for (var i = 1; i < writes.Count; i++)
        {
            Assert.True(writes[i] - writes[i - 1] >= window, "two writes within one window");
        }

        Assert.InRange(writes.Count, 5, 6);
    }

    [Fact]
    public void ShouldWrite_ChangeAfterQuietWindow_WritesAtOnce()
    {
        var schedule = WrittenAtT0(HealthState.Healthy);
        Assert.False(schedule.ShouldWrite(HealthState.Unhealthy, T0.AddMilliseconds(500)));
        Assert.True(schedule.ShouldWrite(HealthState.Unhealthy, T0.AddSeconds(1)));
    }

    [Fact]
    public void ShouldWrite_Unchanged_RefreshesBeforeTtl()
    {
        var schedule = WrittenAtT0(HealthState.Healthy);
        Assert.False(schedule.ShouldWrite(HealthState.Healthy, T0.AddSeconds(2.9)));
        Assert.True(schedule.ShouldWrite(HealthState.Healthy, T0.AddSeconds(3)));
    }

    /// <summary>A schedule with a 1 s change window and a 3 s TTL that wrote <paramref name="state"/> at <see cref="T0"/>.</summary>
    private static HealthReportSchedule WrittenAtT0(HealthState state)
    {
        var schedule = new HealthReportSchedule(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        schedule.MarkWritten(state, T0);
        return schedule;
    }
}
