namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>Proves <c>run-cluster.ps1 -Detach</c> then <c>-Stop</c> on generated configs (free ports), through <c>dotnet pwsh</c> from the tool manifest.</summary>
[Trait("Category", "Integration")]
[Collection(ClusterTestGroup.Name)]
public sealed class RunClusterScriptTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task RunCluster_DetachThenStop_ClusterForwardsThenEveryPidIsGone()
    {
        var directory = Directory.CreateTempSubdirectory("rb-script-").FullName;
        var pidFile = Path.Combine(directory, "data", "cluster.pids");
        var pids = new List<int>();
        try
        {
            var options = new TestClusterOptions { Mode = NodeMode.Process };
            var endpoints = NodeEndpoints.Allocate(3);
            var backends = Enumerable.Range(1, 3).Select(m => ("b" + m, "http://127.0.0.1:" + ClusterPorts.Next())).ToList();
            foreach (var self in endpoints)
            {
                var config = ClusterConfig.Build(options, endpoints, self, "data/" + self.Id, backends);
                await File.WriteAllTextAsync(Path.Combine(directory, self.Id + ".json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }

            var restore = await RunAsync("dotnet", ["tool", "restore"]);
            Assert.True(restore.ExitCode == 0, "dotnet tool restore failed:\n" + restore.Output);

            var detach = await RunAsync("dotnet", ["pwsh", "-NoProfile", "-File", "./run-cluster.ps1", "-Detach", "-NoBuild", "-ConfigDir", directory, "-Configuration", RepoPaths.Configuration, "-TimeoutSeconds", "60"]);
            if (File.Exists(pidFile))
            {
                pids.AddRange((await File.ReadAllLinesAsync(pidFile)).Where(l => l.Length > 0).Select(int.Parse));
            }

            Assert.True(detach.ExitCode == 0, "run-cluster.ps1 -Detach failed:\n" + detach.Output + Logs(Path.Combine(directory, "data", "logs")));
            Assert.Equal(6, pids.Count);
            Assert.All(pids, id => Assert.True(IsAlive(id), "PID " + id + " is not running after -Detach"));
            Assert.Contains("export RAFTBALANCER_NODES=" + string.Join(',', endpoints.Select(e => e.AdminUrl)), detach.Output, StringComparison.Ordinal);

            // The detached cluster forwards through every node.
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            foreach (var node in endpoints)
            {
                using var response = await client.GetAsync(new Uri(node.ProxyUrl + "/via-script"));
                Assert.Equal(200, (int)response.StatusCode);
                Assert.StartsWith("b", response.Headers.GetValues(ClusterConfig.BackendHeader).Single(), StringComparison.Ordinal);
            }

            var stop = await RunAsync("dotnet", ["pwsh", "-NoProfile", "-File", "./run-cluster.ps1", "-Stop", "-ConfigDir", directory]);
            Assert.True(stop.ExitCode == 0, "run-cluster.ps1 -Stop failed:\n" + stop.Output);
            Assert.All(pids, id => Assert.False(IsAlive(id), "PID " + id + " still runs after -Stop"));
            Assert.False(File.Exists(pidFile), "the PID file outlived -Stop");
        }
        finally
        {
            // Whatever the script did, nothing it started outlives the test.
            foreach (var id in pids.Where(IsAlive))
            {
                using var process = Process.GetProcessById(id);
                process.Kill();
                await process.WaitForExitAsync();
            }

            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string Logs(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return string.Empty;
        }

        var parts = Directory.GetFiles(directory).Order(StringComparer.Ordinal).Select(f =>
        {
            var lines = File.ReadAllLines(f);
            return "\n--- " + Path.GetFileName(f) + " ---\n" + string.Join('\n', lines.TakeLast(30));
        });
        return string.Concat(parts);
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, "timed out after " + ScriptTimeout + "\n" + await stdout + await stderr);
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
