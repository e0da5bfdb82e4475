namespace RaftBalancer.TestSupport;

/// <summary>Paths inside the repository, found from the running binaries' location.</summary>
public static class RepoPaths
{
    /// <summary>The folder that holds RaftBalancer.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the caller was built with (Debug or Release).</summary>
    public static string Configuration { get; } = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The node's built assembly.</summary>
    public static string NodeDll => Built("src/RaftBalancer.Node", "RaftBalancer.Node");

    /// <summary>The demo backend's built assembly.</summary>
    public static string DemoBackendDll => Built("src/RaftBalancer.DemoBackend", "RaftBalancer.DemoBackend");

    /// <summary>The built assembly of a project, in the same configuration as the caller.</summary>
    /// <param name="projectDirectory">The project's folder, relative to <see cref="Root"/>.</param>
    /// <param name="assemblyName">The assembly's name without extension.</param>
    /// <returns>The full path (the file may not exist when the project was not built).</returns>
    public static string Built(string projectDirectory, string assemblyName) =>
        Path.Combine(Root, projectDirectory, "bin", Configuration, "net10.0", assemblyName + ".dll");

    /// <summary>The dotnet host: the test host's (<c>DOTNET_HOST_PATH</c>), the one running the caller, or "dotnet" from PATH.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

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
