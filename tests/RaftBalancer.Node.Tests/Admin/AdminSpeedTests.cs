using RaftBalancer.Contracts.V1;
using Xunit.Abstractions;

namespace RaftBalancer.Node.Tests.Admin;

/// <summary>Prints the admin API's latency figures (asserts no timing): mutations through a follower, status reads local vs linearizable.</summary>
[Trait("Category", "Integration")]
[Collection(AdminClusterGroup.Name)]
public sealed class AdminSpeedTests(AdminCluster cluster, ITestOutputHelper output)
{
    private const int Calls = 200;

    [Fact]
    public async Task Speed_UpdateWeightThroughFollower_And_StatusLocalVsLinearizable_Printed()
    {
        var follower = await cluster.FollowerAsync();
        var headers = new Metadata { { "authorization", "Bearer " + AdminCluster.Token } };
        await follower.Client.AddBackendAsync(new AddBackendRequest { Id = "c-speed", Url = cluster.C.Url, Weight = 1 }, headers);
        try
        {
            var writes = await MeasureAsync(i => follower.Client.UpdateWeightAsync(new UpdateWeightRequest { Id = "c-speed", Weight = 1 + (i % 10) }, headers).ResponseAsync);
            var local = await MeasureAsync(_ => follower.Client.GetClusterStatusAsync(new GetClusterStatusRequest { Consistency = Consistency.Local }).ResponseAsync);
            var linearizable = await MeasureAsync(_ => follower.Client.GetClusterStatusAsync(new GetClusterStatusRequest { Consistency = Consistency.Linearizable }).ResponseAsync);
            var listLocal = await MeasureAsync(_ => follower.Client.ListBackendsAsync(new ListBackendsRequest { Consistency = Consistency.Local }).ResponseAsync);
            var listLinearizable = await MeasureAsync(_ => follower.Client.ListBackendsAsync(new ListBackendsRequest { Consistency = Consistency.Linearizable }).ResponseAsync);

            output.WriteLine($"{Calls} sequential calls each, on follower {follower.Id}, Environment.ProcessorCount={Environment.ProcessorCount}");
            output.WriteLine(Row("UpdateWeight via follower (commit + own view)", writes));
            output.WriteLine(Row("GetClusterStatus local", local));
            output.WriteLine(Row("GetClusterStatus linearizable", linearizable));
            output.WriteLine(Row("ListBackends local", listLocal));
            output.WriteLine(Row("ListBackends linearizable", listLinearizable));
        }
        finally
        {
            await follower.Client.RemoveBackendAsync(new RemoveBackendRequest { Id = "c-speed" }, headers);
        }
    }

    private static async Task<double[]> MeasureAsync<T>(Func<int, Task<T>> call)
    {
        for (var i = 0; i < 5; i++)
        {
            await call(i);
        }

        var times = new double[Calls];
        for (var i = 0; i < Calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call(i);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return times;
    }

    private static string Row(string what, double[] sorted) => string.Format(
        CultureInfo.InvariantCulture,
        "{0,-48} median {1,7:0.00} ms   p99 {2,7:0.00} ms   max {3,7:0.00} ms",
        what,
        sorted[sorted.Length / 2],
        sorted[(int)Math.Ceiling(sorted.Length * 0.99) - 1],
        sorted[^1]);
}
