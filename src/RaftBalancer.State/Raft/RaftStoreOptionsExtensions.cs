namespace RaftBalancer.State.Raft;

/// <summary>Helpers that name option fields in messages.</summary>
internal static class RaftStoreOptionsExtensions
{
    public static string SectionNameOf(this RaftStoreOptions options, string memberField)
    {
        var index = options.Members.ToList().FindIndex(m => m.Id == options.NodeId);
        return $"{RaftStoreOptions.SectionName}:Members:{index}:{memberField}";
    }
}
