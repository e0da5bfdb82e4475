using System.Net;
using RaftBalancer.Node.Admin;

namespace RaftBalancer.Node.Options;

/// <summary>Secure-by-default start checks: what a node refuses when it would listen beyond loopback.</summary>
/// <remarks>
/// A node whose proxy, admin, Raft or forwarding address is not a loopback address (a wildcard such as <c>0.0.0.0</c>
/// counts as non-loopback) refuses to start (exit 2, naming the setting) with plaintext node-to-node traffic (no
/// <c>Cluster:CertificateFile</c>; <c>Cluster:Insecure</c> is honoured on loopback only), with the shipped dev admin
/// token, or with no admin token. See docs/ARCHITECTURE.md, "Security".
/// </remarks>
internal static class ExposureCheck
{
    /// <summary>The admin token the shipped configurations carry; it never protects a node reachable off this machine.</summary>
    public const string DevToken = "raftbalancer-dev-token";

    /// <summary>Collects every reason this node must not start.</summary>
    /// <param name="node">The bound node options.</param>
    /// <param name="configuration">The whole configuration (Cluster, Admin, State:Raft).</param>
    /// <returns>The errors, each naming its setting; empty when the node may start.</returns>
    public static List<string> Collect(NodeOptions node, IConfiguration configuration)
    {
        var errors = new List<string>();
        var exposed = ExposedAddresses(node).ToList();
        if (exposed.Count == 0)
        {
            return errors;
        }

        var where = string.Join(", ", exposed);
        var clusterTls = !string.IsNullOrWhiteSpace(configuration["Cluster:CertificateFile"]) || !string.IsNullOrWhiteSpace(configuration["State:Raft:Tls:CertificateFile"]);
        if (string.Equals(node.StateStore, StateStoreKinds.Raft, StringComparison.OrdinalIgnoreCase) && !clusterTls)
        {
            var insecure = string.Equals(configuration["Cluster:Insecure"], "true", StringComparison.OrdinalIgnoreCase);
            errors.Add("Cluster:CertificateFile is not set: Raft and write forwarding would be plaintext on a non-loopback address (" + where + ")"
                + (insecure ? "; Cluster:Insecure is accepted on loopback only." : "; set Cluster:CaFile, Cluster:CertificateFile and Cluster:KeyFile (rbctl certs init)."));
        }

        var token = configuration[AdminOptions.TokenConfigurationKey] is { Length: > 0 } fromEnvironment ? fromEnvironment : configuration["Admin:Token"] ?? string.Empty;
        if (token.Length == 0 && string.IsNullOrWhiteSpace(configuration["Admin:TokenFile"]))
        {
            errors.Add("Admin:Token is not set (nor " + AdminOptions.TokenEnvironmentVariable + " or Admin:TokenFile): the admin API would be open on a non-loopback address (" + where + ").");
        }
        else if (token == DevToken)
        {
            errors.Add("Admin:Token is the shipped dev token '" + DevToken + "' on a non-loopback address (" + where + "); set your own (" + AdminOptions.TokenEnvironmentVariable + ").");
        }

        return errors;
    }

    private static IEnumerable<string> ExposedAddresses(NodeOptions node)
    {
        var self = node.Members.FirstOrDefault(m => m.Id == node.Id);
        var urls = new[] { ("Node:ProxyUrl", node.ProxyUrl), ("Node:AdminUrl", node.AdminUrl), ("Node:RaftUrl", node.RaftUrl), ("Node:Members:ForwardUrl", self?.ForwardUrl ?? string.Empty) };
        foreach (var (field, url) in urls)
        {
            if (!string.IsNullOrWhiteSpace(url) && Uri.TryCreate(url, UriKind.Absolute, out var uri) && !IsLoopback(uri.Host))
            {
                yield return field + " " + url;
            }
        }
    }

    /// <summary>True when <paramref name="url"/> names a loopback host (<c>localhost</c> or a loopback address).</summary>
    public static bool IsLoopbackUrl(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && IsLoopback(uri.Host);

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
