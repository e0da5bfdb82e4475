using System.Globalization;
using RaftBalancer.Node.Options;
using RaftBalancer.State.Raft;

namespace RaftBalancer.Node.Hosting;

/// <summary>Maps the node's options onto <see cref="RaftStoreOptions"/> (tuning from the <c>State:Raft</c> section, membership from <c>Node:Members</c>).</summary>
internal static class RaftStoreFactory
{
    /// <summary>The offset from a member's Raft port to its write-forwarding port when none is configured.</summary>
    public const int ForwardPortOffset = 200;

    public static RaftStoreOptions Map(NodeOptions node, ConfigurationManager configuration)
    {
        var options = new RaftStoreOptions();
        configuration.GetSection(RaftStoreOptions.SectionName).Bind(options);
        options.NodeId = node.Id;
        options.DataDirectory = Path.GetFullPath(node.DataDir);
        var cluster = configuration.GetSection("Cluster");
        if (!options.Tls.IsConfigured)
        {
            // Mutual TLS between members (Raft and write forwarding); see docs/ARCHITECTURE.md, "Security".
            options.Tls.CaFile = FullPathOrEmpty(cluster["CaFile"]);
            options.Tls.CertificateFile = FullPathOrEmpty(cluster["CertificateFile"]);
            options.Tls.KeyFile = FullPathOrEmpty(cluster["KeyFile"]);
        }

        options.Members.Clear();
        foreach (var member in node.Members)
        {
            var raft = new Uri(member.RaftUrl);
            var forward = string.IsNullOrWhiteSpace(member.ForwardUrl)
                ? raft.Host + ":" + (raft.Port + ForwardPortOffset).ToString(CultureInfo.InvariantCulture)
                : new Uri(member.ForwardUrl).Authority;
            options.Members.Add(new RaftMemberOptions { Id = member.Id, RaftAddress = raft.Authority, ForwardAddress = forward });
        }

        return options;
    }

    private static string FullPathOrEmpty(string? path) => string.IsNullOrWhiteSpace(path) ? string.Empty : Path.GetFullPath(path);
}
