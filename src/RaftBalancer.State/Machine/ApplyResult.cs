namespace RaftBalancer.State.Machine;

/// <summary>What one applied command did: the change to publish (if any) and whether a deleted key existed.</summary>
internal readonly record struct ApplyResult(StateEvent? Change, bool Existed);
