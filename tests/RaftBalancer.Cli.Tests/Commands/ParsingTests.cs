namespace RaftBalancer.Cli.Tests.Commands;

[Trait("Category", "Unit")]
public sealed class ParsingTests
{
    // A dead node: if a usage error ever leaked through to a call, the exit code would be 3, not 2.
    private static readonly string Dead = DeadAddress.Create();

    [Theory]
    [InlineData("")]
    [InlineData("frobnicate")]
    [InlineData("backends")]
    [InlineData("policy")]
    [InlineData("backends add --url http://10.0.0.5:8080")]
    [InlineData("backends add --id b1")]
    [InlineData("backends add --id b1 --url not-a-url")]
    [InlineData("backends add --id b1 --url ftp://10.0.0.5/")]
    [InlineData("backends add --id b1 --url http://10.0.0.5:8080 --weight -1")]
    [InlineData("backends add --id b1 --url http://10.0.0.5:8080 --weight many")]
    [InlineData("backends add --id b1 --url http://10.0.0.5:8080 --metadata novalue")]
    [InlineData("backends add --id b1 --url http://10.0.0.5:8080 --metadata =x")]
    [InlineData("backends remove")]
    [InlineData("backends set-weight --id b1")]
    [InlineData("backends set-weight --id b1 --weight -5")]
    [InlineData("backends set-weight --id b1 --weight=-5")]
    [InlineData("backends drain")]
    [InlineData("backends undrain --id")]
    [InlineData("policy set")]
    [InlineData("policy set --policy random")]
    [InlineData("policy set --policy Round-Robin")]
    [InlineData("status --consistency strong")]
    [InlineData("status --output xml")]
    [InlineData("status --timeout 0")]
    [InlineData("status --timeout -1s")]
    [InlineData("status --timeout soon")]
    [InlineData("status --node ftp://10.0.0.1:7101")]
    [InlineData("status --node ,")]
    [InlineData("watch --consistency local")]
    [InlineData("status extra")]
    public async Task Run_InvalidCommandLine_ExitsWithUsageAndSendsNothing(string commandLine)
    {
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (!commandLine.Contains("--node", StringComparison.Ordinal))
        {
            args.AddRange(["--node", Dead]);
        }

        var result = await Rbctl.RunAsync([.. args]);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.NotEmpty(result.Error.Trim());
    }

    [Fact]
    public async Task Run_NegativeWeight_NamesTheOption()
    {
        var result = await Rbctl.RunAsync("backends", "set-weight", "--id", "b1", "--weight", "-1", "--node", Dead);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--weight: must be 0 or more", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownPolicy_ListsTheKnownOnes()
    {
        var result = await Rbctl.RunAsync("policy", "set", "--policy", "random", "--node", Dead);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("weighted-round-robin", result.Error, StringComparison.Ordinal);
        Assert.Contains("least-connections", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CaFileMissing_ExitsWithUsageNamingTheOption()
    {
        var missing = Path.Combine(Path.GetTempPath(), "rb-no-such-ca-" + Guid.NewGuid().ToString("N") + ".crt");
        var result = await Rbctl.RunAsync("status", "--ca", missing, "--node", Dead);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--ca: file '" + missing + "' does not exist.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CaInEnvironmentNotACertificate_ExitsWithUsageNamingTheVariable()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "not a certificate");
            var result = await Rbctl.RunAsync(["backends", "list", "--node", Dead], new Dictionary<string, string> { ["RAFTBALANCER_CA"] = file }, CancellationToken.None);

            Assert.Equal(ExitCodes.Usage, result.ExitCode);
            Assert.Contains("$RAFTBALANCER_CA: '" + file + "' is not a certificate", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Run_CaOptionWinsOverTheEnvironment()
    {
        // The environment names a bad file; --ca names a missing one: the error is about --ca.
        var missing = Path.Combine(Path.GetTempPath(), "rb-no-such-ca-" + Guid.NewGuid().ToString("N") + ".crt");
        var result = await Rbctl.RunAsync(["status", "--ca", missing, "--node", Dead], new Dictionary<string, string> { ["RAFTBALANCER_CA"] = "/dev/null" }, CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--ca: file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InvalidNodesInEnvironment_ExitsWithUsage()
    {
        var result = await Rbctl.RunAsync(["status"], new Dictionary<string, string> { ["RAFTBALANCER_NODES"] = "ftp://x" }, CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("RAFTBALANCER_NODES", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("backends --help")]
    [InlineData("backends add --help")]
    [InlineData("policy set -h")]
    [InlineData("watch --help")]
    public async Task Run_Help_ExitsOkAndPrintsUsage(string commandLine)
    {
        var result = await Rbctl.RunAsync(commandLine.Split(' '));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RootHelp_ListsEveryCommandAndGlobalOption()
    {
        var result = await Rbctl.RunAsync("--help");

        foreach (var expected in new[] { "status", "backends", "policy", "watch", "--node", "--token", "--output", "--timeout" })
        {
            Assert.Contains(expected, result.Out, StringComparison.Ordinal);
        }
    }
}
