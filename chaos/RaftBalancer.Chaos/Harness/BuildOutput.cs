using System.Reflection;

namespace RaftBalancer.Chaos.Harness;

/// <summary>Finds the chaos node host and demo-backend assemblies in the repository's build output.</summary>
internal static class BuildOutput
{
    public static string RepoRoot => RepoPaths.Root;

    /// <summary>Gets the test-only node host (<c>chaos/RaftBalancer.Chaos.Node</c>): the ordinary node plus the link fault gate and <c>/-/chaos/*</c>.</summary>
    public static string ChaosNodeDll => Find("chaos", "RaftBalancer.Chaos.Node");

    public static string DemoBackendDll => Find("src", "RaftBalancer.DemoBackend");

    private static string Find(string folder, string project)
    {
        var configuration = typeof(BuildOutput).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "Configuration")?.Value ?? "Release";
        foreach (var config in new[] { configuration, "Release", "Debug" })
        {
            var path = Path.Combine(RepoRoot, folder, project, "bin", config, "net10.0", project + ".dll");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"{project}.dll not built (run dotnet build -c {configuration} first)");
    }
}
