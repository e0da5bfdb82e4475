namespace RaftBalancer.Cli.Tests.Output;

[Trait("Category", "Integration")]
public sealed class TableOutputTests
{
    [Fact]
    public async Task Status_Table_ShowsLeaderAndOneRowPerMember()
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("status", "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("node n1  leader n1  term 3  commit 42  view 17  policy round-robin", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("NODE", lines[1], StringComparison.Ordinal);
        Assert.Equal(5, lines.Length);
        Assert.Contains(lines, line => line.StartsWith("n1*", StringComparison.Ordinal) && line.Contains("leader", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("n2 ", StringComparison.Ordinal) && line.Contains("12ms ago", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("n3 ", StringComparison.Ordinal) && line.Contains("never", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BackendsList_Table_ShowsVerdictLoadBreakerAndHealth()
    {
        await using var server = await TestAdminServer.StartAsync();

        var result = await Rbctl.RunAsync("backends", "list", "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var b1 = result.Out.Split('\n').Single(line => line.StartsWith("b1 ", StringComparison.Ordinal));
        Assert.Contains("5 (n1=2,n2=3)", b1, StringComparison.Ordinal);
        Assert.Contains("n1=healthy n2=healthy", b1, StringComparison.Ordinal);
        Assert.Contains("closed", b1, StringComparison.Ordinal);
        var b2 = result.Out.Split('\n').Single(line => line.StartsWith("b2 ", StringComparison.Ordinal));
        Assert.Contains("rate-limited", b2, StringComparison.Ordinal);
        Assert.Contains("half-open", b2, StringComparison.Ordinal);
        Assert.Contains("n1=rate-limited(stale)", b2, StringComparison.Ordinal);
    }
}
