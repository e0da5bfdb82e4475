namespace RaftBalancer.Chaos.Checking;

/// <summary>How an operation ended, with Jepsen/Knossos semantics.</summary>
public enum OpOutcome
{
    /// <summary>Acknowledged: it took effect exactly once, between its invocation and its completion.</summary>
    Ok = 0,

    /// <summary>Definitely did not take effect (refused before it could be proposed).</summary>
    Fail = 1,

    /// <summary>Indeterminate (timeout, lost reply): it may or may not have taken effect, at any time after its invocation.</summary>
    Unknown = 2,
}
