namespace RaftBalancer.Core.Tests.Health;

[Trait("Category", "Unit")]
public sealed class HealthStateMachinePropertyTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // For any sequence of successes (true) and failures (false), the state is decided by the streaks alone:
    // the last FailureThreshold results failing means Unhealthy, the last SuccessThreshold succeeding means
    // Healthy, Unknown means neither threshold was ever reached, and the counters are the trailing streak.
    [Property(MaxTest = 500, Arbitrary = [typeof(ProbeOutcomeSequences)])]
    public bool Record_AnySuccessFailureSequence_StateFollowsTrailingStreaks(bool[] results, byte failures, byte successes)
    {
        var failureThreshold = (failures % 4) + 1;
        var successThreshold = (successes % 4) + 1;
        var machine = new HealthStateMachine(
            new HealthCheckOptions { FailureThreshold = failureThreshold, SuccessThreshold = successThreshold },
            Start);
        var everDecided = false;
        var trailingSuccesses = 0;
        var trailingFailures = 0;
        var now = Start;

        foreach (var success in results ?? [])
        {
            now += TimeSpan.FromSeconds(5);
            var before = machine.State;
            var transition = machine.Record(
                success ? ProbeResult.Healthy(200, TimeSpan.Zero) : ProbeResult.UnhealthyStatus(500, TimeSpan.Zero),
                now);
            (trailingSuccesses, trailingFailures) = success ? (trailingSuccesses + 1, 0) : (0, trailingFailures + 1);
            everDecided |= trailingSuccesses >= successThreshold || trailingFailures >= failureThreshold;

            var state = machine.State;
            var ok = transition.Changed == (before != state)
                && machine.ConsecutiveSuccesses == trailingSuccesses
                && machine.ConsecutiveFailures == trailingFailures
                && (trailingFailures < failureThreshold || state == HealthState.Unhealthy)
                && (trailingSuccesses < successThreshold || state == HealthState.Healthy)
                && (state == HealthState.Unknown) == !everDecided
                && (!transition.Changed || machine.Since == now);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
