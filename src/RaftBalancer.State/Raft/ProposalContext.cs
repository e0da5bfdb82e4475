namespace RaftBalancer.State.Raft;

/// <summary>Carries the apply result of a locally proposed entry back to the proposer (output only; apply never reads it).</summary>
internal sealed class ProposalContext
{
    public bool Existed { get; set; }

    public long Index { get; set; }
}
