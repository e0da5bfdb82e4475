namespace RaftBalancer.Cli.Tests.Commands;

[Trait("Category", "Integration")]
public sealed class WatchTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Watch_StreamEnds_PrintsEveryUpdateAndExitsOk()
    {
        await using var server = await TestAdminServer.StartAsync();
        server.Service.WatchUpdates.AddRange([FakeAdminService.Update(1, "b1"), FakeAdminService.Update(2, "b1", "b2"), FakeAdminService.Update(3)]);

        var result = await Rbctl.RunAsync("watch", "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("view 1  policy round-robin  routable b1  hash 0001aabbccdd", lines[0], StringComparison.Ordinal);
        Assert.Contains("routable b1,b2", lines[1], StringComparison.Ordinal);
        Assert.Contains("routable (none)", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_Json_PrintsOneObjectPerUpdate()
    {
        await using var server = await TestAdminServer.StartAsync();
        server.Service.WatchUpdates.AddRange([FakeAdminService.Update(7, "b1", "b2"), FakeAdminService.Update(8, "b2")]);

        var result = await Rbctl.RunAsync("watch", "-o", "json", "--node", server.Address);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var updates = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(2, updates.Count);
        Assert.Equal("watch", updates[0].GetProperty("command").GetString());
        Assert.Equal(server.Address, updates[0].GetProperty("node").GetString());
        Assert.Equal("n1", updates[0].GetProperty("node_id").GetString());
        Assert.Equal(7, updates[0].GetProperty("version").GetInt64());
        Assert.Equal("round-robin", updates[0].GetProperty("policy").GetString());
        Assert.Equal(["b1", "b2"], updates[0].GetProperty("routable_backend_ids").EnumerateArray().Select(id => id.GetString()));
        Assert.StartsWith("0007", updates[0].GetProperty("content_hash").GetString(), StringComparison.Ordinal);
        Assert.Equal("2025-01-02T03:04:05.000Z", updates[0].GetProperty("built_at").GetString());
        Assert.Equal(8, updates[1].GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Watch_Cancelled_PrintsUpdatesSoFarAndExitsOk()
    {
        await using var server = await TestAdminServer.StartAsync();
        server.Service.WatchUpdates.AddRange([FakeAdminService.Update(1, "b1"), FakeAdminService.Update(2, "b2")]);
        server.Service.HoldWatchOpen = true;
        using var interrupt = new CancellationTokenSource();
        var output = new CapturingWriter();

        var watching = Rbctl.RunAsync(["watch", "--node", server.Address], environment: null, interrupt.Token, output);
        await WaitUntilAsync(() => output.Lines().Count >= 2 || watching.IsCompleted);
        Assert.False(watching.IsCompleted, "watch ended before it was interrupted");
        await interrupt.CancelAsync();
        var result = await watching.WaitAsync(Deadline);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal(2, output.Lines().Count);
    }

    [Fact]
    public async Task Watch_StreamBreaks_ContinuesOnNextNode()
    {
        await using var first = await TestAdminServer.StartAsync();
        await using var second = await TestAdminServer.StartAsync();
        first.Service.WatchUpdates.Add(FakeAdminService.Update(1, "b1"));
        first.Service.BreakWatchWith = StatusCode.Unavailable;
        second.Service.WatchUpdates.Add(FakeAdminService.Update(5, "b1"));

        var result = await Rbctl.RunAsync("watch", "-o", "json", "--node", $"{first.Address},{second.Address}");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var nodes = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("node").GetString())
            .ToList();
        Assert.Equal([first.Address, second.Address], nodes);
    }

    [Fact]
    public async Task Watch_FirstNodeDead_SecondStreams()
    {
        await using var server = await TestAdminServer.StartAsync();
        server.Service.WatchUpdates.Add(FakeAdminService.Update(1, "b1"));

        var result = await Rbctl.RunAsync("watch", "--node", $"{DeadAddress.Create()},{server.Address}");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Single(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Watch_NoUpdateWithinTimeout_TriesNextNodeThenUnreachable()
    {
        await using var silent = await TestAdminServer.StartAsync();
        silent.Service.HoldWatchOpen = true;

        var result = await Rbctl.RunAsync("watch", "--timeout", "300ms", "--node", silent.Address);

        Assert.True(result.ExitCode == ExitCodes.Unreachable, result.ToString());
        Assert.Contains("no view within", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_AllNodesDead_ExitsUnreachable()
    {
        var result = await Rbctl.RunAsync("watch", "--node", $"{DeadAddress.Create()},{DeadAddress.Create()}");

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
    }

    [Fact]
    public async Task Watch_Refused_ExitsRejected()
    {
        await using var server = await TestAdminServer.StartAsync();
        server.Service.Failures["WatchView"] = new RpcException(new Status(StatusCode.PermissionDenied, "token required"));

        var result = await Rbctl.RunAsync("watch", "--node", server.Address);

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Contains("PermissionDenied", result.Error, StringComparison.Ordinal);
        Assert.Contains("token required", result.Error, StringComparison.Ordinal);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Poll.UntilAsync(condition, Deadline, "the condition");
}
