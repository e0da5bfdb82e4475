using System.Reflection;

namespace RaftBalancer.State.Tests.Raft;

/// <summary>One member of a <see cref="RaftTestCluster"/> running as its own process: the load program's <c>node</c> mode
/// (<c>tests/RaftBalancer.State.LoadTest</c>, the same program its failover figures kill), so it can be killed for real.</summary>
internal sealed class RaftMemberProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private RaftMemberProcess(ChildProcess process, string nodeId)
    {
        _process = process;
        NodeId = nodeId;
    }

    public string NodeId { get; }

    public int Pid => _process.Pid;

    public bool HasExited => !_process.IsRunning;

    /// <summary>Gets what the process printed (last lines), for failure messages.</summary>
    public string Output => _process.RecentOutput;

    /// <summary>Starts member <paramref name="index"/> of the cluster's membership as a process, on its ports and data directory.</summary>
    public static RaftMemberProcess Start(RaftTestCluster cluster, int index)
    {
        var program = typeof(RaftMemberProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RaftMemberProgram").Value!;
        var member = cluster.Members[index];
        var spec = string.Join(';', cluster.Members.Select(m => $"{m.Id}={m.RaftAddress},{m.ForwardAddress}"));
        var process = ChildProcess.StartDotnet("member " + member.Id, program, ["node", member.Id, spec, cluster.DataDirectory(index)]);
        return new RaftMemberProcess(process, member.Id);
    }

    /// <summary>Waits until the member answers on its progress endpoint (it started its Raft listener before that).</summary>
    public async Task WaitUntilServingAsync(string forwardAddress, TimeSpan deadline)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Poll.UntilAsync($"member process {NodeId} (pid {Pid}) serves", deadline, async ct =>
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"member process {NodeId} exited with code {_process.ExitCode}: {Output}");
            }

            using var response = await http.GetAsync(new Uri($"http://{forwardAddress}/raftbalancer/v1/progress"), ct);
            return response.IsSuccessStatusCode;
        });
    }

    /// <summary>Kills the process by its id with SIGKILL: no shutdown code of the member runs.</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
