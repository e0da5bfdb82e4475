namespace RaftBalancer.Chaos.Harness;

/// <summary>One node process of the chaos cluster: its ports, data directory, process and admin client.</summary>
internal sealed class ChaosNode : IDisposable
{
    public ChaosNode(string id, int proxyPort, int adminPort, int raftPort, int forwardPort, string directory)
    {
        Id = id;
        ProxyUrl = "http://127.0.0.1:" + proxyPort;
        AdminUrl = "http://127.0.0.1:" + adminPort;
        RaftUrl = "http://127.0.0.1:" + raftPort;
        ForwardUrl = "http://127.0.0.1:" + forwardPort;
        Directory = directory;
        Client = new NodeClient(AdminUrl);
    }

    public string Id { get; }

    public string ProxyUrl { get; }

    public string AdminUrl { get; }

    public string RaftUrl { get; }

    public string ForwardUrl { get; }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "node.json");

    public string LogPath => Path.Combine(Directory, "node.log");

    public NodeClient Client { get; }

    public ChildProcess? Process { get; set; }

    public bool Paused { get; set; }

    /// <summary>Gets a value indicating whether the node's process is alive; safe to call from the monitor threads while
    /// the nemesis kills the process (a disposed process counts as not running).</summary>
    public bool Running
    {
        get
        {
            // A process disposed by a kill between reading Process and asking it counts as not running.
            return Process is { IsRunning: true };
        }
    }

    public void Dispose() => Client.Dispose();
}
