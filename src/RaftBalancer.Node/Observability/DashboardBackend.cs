namespace RaftBalancer.Node.Observability;

/// <summary>One backend: configuration, every node's health opinion, this node's verdict and counts, requests per second (this node, cluster) and the cluster's last 60 s.</summary>
internal sealed record DashboardBackend(
    string Id,
    string Url,
    int Weight,
    bool Draining,
    bool Routable,
    string Reason,
    IReadOnlyDictionary<string, string> Opinions,
    string Breaker,
    long LocalActive,
    long ClusterActive,
    double RequestsPerSecond,
    double ClusterRequestsPerSecond,
    IReadOnlyList<double> History);
