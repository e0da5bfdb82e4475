namespace RaftBalancer.Chaos.Checking;

/// <summary>What a register operation does.</summary>
public enum OpKind
{
    /// <summary>Sets the register to <see cref="HistoryOp.Value"/>.</summary>
    Write = 0,

    /// <summary>Reads the register; <see cref="HistoryOp.Value"/> is what it returned (null: absent).</summary>
    Read = 1,
}
