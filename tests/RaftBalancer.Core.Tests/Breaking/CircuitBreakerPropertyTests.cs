namespace RaftBalancer.Core.Tests.Breaking;

[Trait("Category", "Unit")]
public sealed class CircuitBreakerPropertyTests
{
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(10);

    // Each int encodes one operation (low part) and which outstanding lease it applies to (high part):
    // acquire, success, failure, release, a short or a full open-timeout advance of the clock.
    [Property(MaxTest = 500, Arbitrary = [typeof(BreakerOperationSequences)])]
    public bool TryAcquire_AnyOperationSequence_OutstandingTrialsNeverExceedMax(int[] operations, byte max, byte trip, byte successes)
    {
        var options = new CircuitBreakerOptions
        {
            HalfOpenMaxRequests = (max % 3) + 1,
            MinRequestsToTrip = (trip % 4) + 1,
            SuccessThreshold = (successes % 3) + 1,
            OpenTimeout = OpenTimeout,
        };
        var time = new FakeTimeProvider();
        var breaker = new CircuitBreaker(options, time);
        var outstanding = new List<CircuitBreakerLease>();

        foreach (var operation in operations ?? [])
        {
            var code = (int)((uint)operation % 6);
            var pick = outstanding.Count == 0 ? -1 : (int)((uint)operation / 6 % (uint)outstanding.Count);
            switch (code)
            {
                case 0:
                    var wasClosed = breaker.State == CircuitState.Closed;
                    if (breaker.TryAcquire(out var lease))
                    {
                        outstanding.Add(lease);
                    }
                    else if (wasClosed)
                    {
                        return false;
                    }

                    break;
                case 1 or 2 or 3 when pick >= 0:
                    var completed = outstanding[pick];
                    outstanding.RemoveAt(pick);
                    if (code == 3)
                    {
                        breaker.Release(completed);
                    }
                    else
                    {
                        breaker.RecordResult(completed, success: code == 1);
                    }

                    break;
                case 4:
                    time.Advance(OpenTimeout / 3);
                    break;
                case 5:
                    time.Advance(OpenTimeout);
                    break;
            }

            var trials = outstanding.Count(l => l.IsTrial);
            if (trials > options.HalfOpenMaxRequests || trials != breaker.TrialsInFlight)
            {
                return false;
            }
        }

        return true;
    }
}
