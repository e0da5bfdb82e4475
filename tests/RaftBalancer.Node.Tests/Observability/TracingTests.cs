using Microsoft.AspNetCore.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;
using RaftBalancer.Contracts.V1;
using RaftBalancer.Node.Tests.Admin;
using StatusCode = Grpc.Core.StatusCode;

namespace RaftBalancer.Node.Tests.Observability;

[Trait("Category", "Integration")]
public sealed class TracingTests
{
    [Fact]
    public async Task Forward_Traced_SpanPerAttemptAndItsTraceparentReachesTheBackend()
    {
        // Other tests proxy in parallel in this process: only spans naming this test's backends count.
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var goodId = "good-" + suffix;
        var badId = "bad-" + suffix;
        var exported = new List<Activity>();
        using var tracer = RecordNodeSpans(exported);
        await using var good = await HeaderRecordingBackend.StartAsync();
        var config = NodeHost.Config("round-robin", (goodId, good.Url, 1), (badId, "http://127.0.0.1:" + FreePorts.Next(), 1));

        // The refusing backend stays routable: probes are rare and the breaker does not trip.
        config["HealthCheck"]!["Interval"] = "00:00:30";
        config["HealthCheck"]!["Timeout"] = "00:00:01";
        config["HealthCheck"]!["Jitter"] = "00:00:00";
        config["CircuitBreaker"]!["MinRequestsToTrip"] = 100;
        await using var node = await NodeHost.StartAsync(config);
        await node.WaitRoutableAsync(TimeSpan.FromSeconds(15), goodId, badId);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(200, (await node.GetAsync("/traced/" + i)).Status);
        }

        List<Activity> spans = [];
        await Poll.UntilAsync(
            () =>
            {
                lock (exported)
                {
                    spans = exported.Where(a => a.OperationName == "proxy.forward"
                        && a.GetTagItem("raftbalancer.backend") is string b && (b == goodId || b == badId)).ToList();
                }

                return spans.Count(s => (string)s.GetTagItem("raftbalancer.backend")! == goodId) == 4;
            },
            TimeSpan.FromSeconds(10),
            "four exported proxy.forward spans on " + goodId);

        // Every request reached the good backend with a W3C traceparent in its attempt's trace (the parent id is the
        // HTTP client's span under ours), with the sampled flag.
        var traceparents = good.Traceparents.Select(t => t.Split('-')).ToList();
        Assert.Equal(4, traceparents.Count);
        Assert.All(traceparents, t => Assert.True(t.Length == 4 && t[0] == "00" && t[2].Length == 16 && (Convert.ToInt32(t[3], 16) & 1) == 1, string.Join('-', t)));
        Assert.Equal(
            spans.Where(s => (string)s.GetTagItem("raftbalancer.backend")! == goodId).Select(s => s.TraceId.ToHexString()).Order(StringComparer.Ordinal),
            traceparents.Select(t => t[1]).Order(StringComparer.Ordinal));

        // Round robin sent at least one request to the refusing backend first: that attempt failed and the retry names why.
        var failed = spans.Where(s => (string)s.GetTagItem("raftbalancer.backend")! == badId).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, s => Assert.Equal(ActivityStatusCode.Error, s.Status));
        Assert.All(failed, s => Assert.Equal(1, s.GetTagItem("raftbalancer.attempt")));
        var retries = spans.Where(s => s.GetTagItem("raftbalancer.retry_reason") is not null).ToList();
        Assert.Equal(failed.Count, retries.Count);
        Assert.All(retries, s => Assert.Equal(2, s.GetTagItem("raftbalancer.attempt")));
        Assert.All(retries, s => Assert.Equal("request", s.GetTagItem("raftbalancer.retry_reason")));
        Assert.All(retries, s => Assert.Equal(goodId, s.GetTagItem("raftbalancer.backend")));

        // Store writes (this node's health reports on the good backend) are spans too.
        // The first report is written one probe after start, so its span may be exported after the requests' spans.
        await Poll.UntilAsync(
            () =>
            {
                lock (exported)
                {
                    return exported.Any(a => a.OperationName == "raft.propose" && a.GetTagItem("raftbalancer.write.key") is string key && key.Contains(goodId, StringComparison.Ordinal));
                }
            },
            TimeSpan.FromSeconds(10),
            "a raft.propose span for this node's health report on " + goodId);
    }

    [Fact]
    public async Task AdminCall_Traced_SpanPerCallWithItsStatus_RefusedCallsToo_WriteIsAChildSpan()
    {
        // Other tests make admin calls in parallel in this process: only spans naming this test's node count.
        var nodeId = "traced-admin-" + Guid.NewGuid().ToString("N")[..8];
        var exported = new List<Activity>();
        using var tracer = RecordNodeSpans(exported);
        var config = NodeHost.Config("round-robin", ("a", "http://127.0.0.1:9", 1));
        config["Node"]!["Id"] = nodeId;
        config["Admin"] = new JsonObject { ["Token"] = AdminCluster.Token };
        await using var node = await NodeHost.StartAsync(config);
        using var channel = GrpcChannel.ForAddress(node.AdminUrl);
        var client = new RaftBalancer.Contracts.V1.Admin.AdminClient(channel);

        await client.ListBackendsAsync(new ListBackendsRequest());
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.SetPolicyAsync(new SetPolicyRequest { Policy = "least-connections" }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        await client.SetPolicyAsync(new SetPolicyRequest { Policy = "least-connections" }, new Metadata { { "authorization", "Bearer " + AdminCluster.Token } });

        List<Activity> spans = [];
        await Poll.UntilAsync(
            () =>
            {
                lock (exported)
                {
                    spans = exported.Where(a => a.OperationName.StartsWith("admin.", StringComparison.Ordinal) && (a.GetTagItem("raftbalancer.node") as string) == nodeId).ToList();
                }

                return spans.Count == 3;
            },
            TimeSpan.FromSeconds(10),
            "three exported admin spans of " + nodeId);

        var list = Assert.Single(spans, s => s.OperationName == "admin.ListBackends");
        Assert.Equal(ActivityKind.Server, list.Kind);
        Assert.Equal("grpc", list.GetTagItem("rpc.system"));
        Assert.Equal(RaftBalancer.Contracts.V1.Admin.Descriptor.FullName, list.GetTagItem("rpc.service"));
        Assert.Equal(0, list.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, list.Status);

        var setPolicy = spans.Where(s => s.OperationName == "admin.SetPolicy").ToList();
        Assert.Equal(2, setPolicy.Count);
        var denied = Assert.Single(setPolicy, s => s.Status == ActivityStatusCode.Error);
        Assert.Equal((int)StatusCode.Unauthenticated, denied.GetTagItem("rpc.grpc.status_code"));
        var applied = Assert.Single(setPolicy, s => s.Status != ActivityStatusCode.Error);
        Assert.Equal(0, applied.GetTagItem("rpc.grpc.status_code"));

        // The policy write the applied call made is a raft.propose span under it.
        await Poll.UntilAsync(
            () =>
            {
                lock (exported)
                {
                    return exported.Any(a => a.OperationName == "raft.propose" && a.ParentSpanId == applied.SpanId);
                }
            },
            TimeSpan.FromSeconds(10),
            "a raft.propose span under the applied SetPolicy call");
    }

    /// <summary>Exports every span of the node's activity source, sampled, into <paramref name="exported"/> (lock it to read).</summary>
    private static TracerProvider RecordNodeSpans(List<Activity> exported) => Sdk.CreateTracerProviderBuilder()
        .AddSource(NodeTelemetry.ActivitySourceName)
        .SetSampler(new AlwaysOnSampler())
        .AddInMemoryExporter(exported)
        .Build();

    /// <summary>A backend that answers 200 and keeps every <c>traceparent</c> it was sent.</summary>
    private sealed class HeaderRecordingBackend : InTestBackend
    {
        public ConcurrentQueue<string> Traceparents { get; } = new();

        public static async Task<HeaderRecordingBackend> StartAsync()
        {
            var backend = new HeaderRecordingBackend();
            await backend.StartAppAsync();
            return backend;
        }

        protected override Task HandleAsync(HttpContext context)
        {
            if (!context.Request.Path.StartsWithSegments("/-/ready"))
            {
                Traceparents.Enqueue(context.Request.Headers["traceparent"].ToString());
            }

            return context.Response.WriteAsync("ok");
        }
    }
}
