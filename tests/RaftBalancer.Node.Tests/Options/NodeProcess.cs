namespace RaftBalancer.Node.Tests.Options;

/// <summary>
/// The real node process, <c>dotnet RaftBalancer.Node.dll --config file</c>, for the start-up refusal tests: a plain
/// <see cref="Process"/> (not <see cref="ChildProcess"/>) so stderr and stdout stay apart.
/// </summary>
internal static class NodeProcess
{
    /// <summary>Writes the config to a temporary file and starts the node on it; the caller kills it (<see cref="Kill"/>).</summary>
    /// <param name="config">The node's config file content.</param>
    /// <param name="environment">Variables to set; a null value removes the variable from the inherited environment.</param>
    /// <returns>The started process.</returns>
    public static async Task<Process> StartAsync(JsonObject config, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("rb-cfg-").FullName, "node.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(RepoPaths.NodeDll);
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(path);
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return Process.Start(start)!;
    }

    /// <summary>Asserts the process exits (within 60 s) with code 2 and stderr contains <paramref name="message"/>; kills it in any case.</summary>
    /// <param name="process">A process from <see cref="StartAsync"/>.</param>
    /// <param name="message">What stderr must say.</param>
    /// <returns>A task that completes after the assertions.</returns>
    public static async Task AssertExitsWithCode2Async(Process process, string message)
    {
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(cts.Token);
            var errors = await stderr;
            Assert.True(process.ExitCode == 2, $"exit code {process.ExitCode}; stderr: {errors}; stdout: {await stdout}");
            Assert.Contains(message, errors, StringComparison.Ordinal);
        }
        finally
        {
            Kill(process);
        }
    }

    /// <summary>Kills the process tree if it still runs and waits up to 10 s for the exit.</summary>
    /// <param name="process">A process from <see cref="StartAsync"/>.</param>
    public static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }
}
