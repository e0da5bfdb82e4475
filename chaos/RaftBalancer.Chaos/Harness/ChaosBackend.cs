namespace RaftBalancer.Chaos.Harness;

/// <summary>One demo backend process.</summary>
internal sealed class ChaosBackend
{
    public ChaosBackend(string id, int port)
    {
        Id = id;
        Url = "http://127.0.0.1:" + port;
    }

    public string Id { get; }

    public string Url { get; }

    public ChildProcess? Process { get; set; }
}
