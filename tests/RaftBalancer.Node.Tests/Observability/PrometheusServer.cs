namespace RaftBalancer.Node.Tests.Observability;

/// <summary>A real <c>prometheus</c> on a free loopback port with its own temp config and data directory, stopped by PID.</summary>
/// <remarks>Looked up on PATH (Debian package <c>prometheus</c>; <c>.ci/prereqs</c> installs it). A missing binary fails the test with that message.</remarks>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _client;

    private PrometheusServer(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
        _client = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:" + port), Timeout = TimeSpan.FromSeconds(5) };
    }

    public int Port { get; }

    public string Directory { get; }

    public static string Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "prometheus"))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("prometheus is not installed: run .ci/prereqs (apt-get install -y prometheus).");

    /// <summary>Starts prometheus scraping <paramref name="targets"/> (host:port) every second at <c>/metrics</c>.</summary>
    public static async Task<PrometheusServer> StartAsync(IEnumerable<string> targets)
    {
        var executable = Find();
        var directory = System.IO.Directory.CreateTempSubdirectory("rb-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, string.Join('\n',
            "global:",
            "  scrape_interval: 1s",
            "  scrape_timeout: 900ms",
            "scrape_configs:",
            "  - job_name: raftbalancer",
            "    static_configs:",
            "      - targets: [" + string.Join(", ", targets.Select(t => "'" + t + "'")) + "]",
            string.Empty));
        var port = FreePorts.Next();
        var info = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(directory, "data"), "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, port, directory);
        try
        {
            await Poll.UntilAsync(async () => (await server._client.GetAsync("/-/ready")).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "prometheus is ready");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Runs an instant query; returns each series' labels and value.</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        using var response = await _client.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var results = new List<(Dictionary<string, string>, double)>();
        foreach (var series in json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty);
            var value = double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            results.Add((labels, value));
        }

        return results;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        try
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
