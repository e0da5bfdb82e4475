using Google.Protobuf.WellKnownTypes;
using RaftBalancer.Contracts.V1;
using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Breaking;
using CoreVerdictReason = RaftBalancer.Core.Routing.VerdictReason;

namespace RaftBalancer.Node.Admin;

/// <summary>Converts Core and stored values to the admin API's messages.</summary>
internal static class AdminMapper
{
    public static BackendConfig ToConfig(BackendDefinition definition)
    {
        var config = new BackendConfig
        {
            Id = definition.Id,
            Url = definition.Url.OriginalString,
            Weight = definition.Weight,
            Draining = definition.Draining,
        };
        foreach (var (key, value) in definition.Metadata)
        {
            config.Metadata[key] = value;
        }

        return config;
    }

    public static VerdictReason ToReason(string coreReason) => coreReason == Views.ViewBuilder.PanicReason
        ? VerdictReason.Panic
        : System.Enum.TryParse<CoreVerdictReason>(coreReason, out var reason)
        ? reason switch
        {
            CoreVerdictReason.Routable => VerdictReason.Routable,
            CoreVerdictReason.Draining => VerdictReason.Draining,
            CoreVerdictReason.ZeroWeight => VerdictReason.ZeroWeight,
            CoreVerdictReason.RateLimited => VerdictReason.RateLimited,
            CoreVerdictReason.UnhealthyMajority => VerdictReason.UnhealthyMajority,
            CoreVerdictReason.LocalBreakerOpen => VerdictReason.LocalBreakerOpen,
            _ => VerdictReason.Unspecified,
        }
        : VerdictReason.Unspecified;

    public static BreakerState ToBreaker(CircuitState state) => state switch
    {
        CircuitState.Closed => BreakerState.Closed,
        CircuitState.Open => BreakerState.Open,
        CircuitState.HalfOpen => BreakerState.HalfOpen,
        _ => BreakerState.Unspecified,
    };

    public static HealthState ToHealth(StoredHealthState state) => state switch
    {
        StoredHealthState.Healthy => HealthState.Healthy,
        StoredHealthState.Unhealthy => HealthState.Unhealthy,
        StoredHealthState.RateLimited => HealthState.RateLimited,
        _ => HealthState.Unknown,
    };

    public static Timestamp? ToTimestamp(long unixMs) => unixMs <= 0 ? null : Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(unixMs));

    public static RaftBalancer.State.ReadConsistency ToStore(Consistency consistency) =>
        consistency == Consistency.Linearizable ? RaftBalancer.State.ReadConsistency.Linearizable : RaftBalancer.State.ReadConsistency.Local;
}
