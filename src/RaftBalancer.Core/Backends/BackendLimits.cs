namespace RaftBalancer.Core.Backends;

/// <summary>Bounds on backend definitions that every entry point enforces.</summary>
public static class BackendLimits
{
    /// <summary>The largest accepted weight; HAProxy and Envoy use similar small ranges, and it bounds the weighted schedule.</summary>
    public const int MaxWeight = 1000;

    /// <summary>The longest accepted backend id.</summary>
    public const int MaxIdLength = 64;

    /// <summary>The most metadata entries one backend may carry.</summary>
    public const int MaxMetadataEntries = 32;
}
