namespace RaftBalancer.Node.Tests.Infrastructure;

/// <summary>Paths inside the repository, found from the test binaries' location.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Debug or Release).</summary>
    public static string Configuration { get; } = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string NodeDll => Path.Combine(Root, "src", "RaftBalancer.Node", "bin", Configuration, "net10.0", "RaftBalancer.Node.dll");

    public static string DemoBackendDll => Path.Combine(Root, "src", "RaftBalancer.DemoBackend", "bin", Configuration, "net10.0", "RaftBalancer.DemoBackend.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RaftBalancer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RaftBalancer.sln not found above " + AppContext.BaseDirectory);
    }
}
