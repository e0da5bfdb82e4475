using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;

namespace RaftBalancer.Cli.Tests.Infrastructure;

/// <summary>
/// A test double of the node's admin service: records every call with its authorization header and
/// answers with canned replies, or with the exception a test sets for a method.
/// </summary>
internal sealed class FakeAdminService : Admin.AdminBase
{
    public static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly CancellationTokenSource _shutdown = new();

    public ConcurrentQueue<RecordedCall> Calls { get; } = new();

    /// <summary>Thrown by the named method ("AddBackend", ...) instead of answering.</summary>
    public ConcurrentDictionary<string, Exception> Failures { get; } = new();

    /// <summary>Delays every unary answer (to exercise client timeouts).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public List<ViewUpdate> WatchUpdates { get; } = [];

    /// <summary>After sending <see cref="WatchUpdates"/>: keep the stream open until the client cancels.</summary>
    public bool HoldWatchOpen { get; set; }

    /// <summary>After sending <see cref="WatchUpdates"/>: fail the stream with this status instead of ending it.</summary>
    public StatusCode? BreakWatchWith { get; set; }

    public GetClusterStatusResponse ClusterStatus { get; set; } = CreateClusterStatus();

    public ListBackendsResponse Backends { get; set; } = CreateBackends();

    public static WriteResult Written => new() { ViewVersion = 18, ConfigRevision = 43, LogIndex = 57 };

    public T Single<T>(string method)
        where T : IMessage
    {
        var calls = Calls.Where(call => call.Method == method).ToList();
        Assert.True(calls.Count == 1, $"expected one {method} call, got {calls.Count}");
        return (T)calls[0].Request;
    }

    public void Shutdown() => _shutdown.Cancel();

    public override Task<GetClusterStatusResponse> GetClusterStatus(GetClusterStatusRequest request, ServerCallContext context) =>
        AnswerAsync(nameof(GetClusterStatus), request, context, () => ClusterStatus);

    public override Task<ListBackendsResponse> ListBackends(ListBackendsRequest request, ServerCallContext context) =>
        AnswerAsync(nameof(ListBackends), request, context, () => Backends);

    public override Task<AddBackendResponse> AddBackend(AddBackendRequest request, ServerCallContext context) =>
        AnswerAsync(nameof(AddBackend), request, context, () =>
        {
            var backend = new BackendConfig { Id = request.Id, Url = request.Url, Weight = request.Weight };
            backend.Metadata.Add(request.Metadata);
            return new AddBackendResponse { Result = Written, Backend = backend };
        });

    public override Task<RemoveBackendResponse> RemoveBackend(RemoveBackendRequest request, ServerCallContext context) =>
        AnswerAsync(nameof(RemoveBackend), request, context, () => new RemoveBackendResponse { Result = Written });

    public override Task<UpdateWeightResponse> UpdateWeight(UpdateWeightRequest request, ServerCallContext context) =>
        AnswerAsync(nameof(UpdateWeight), request, context, () => new UpdateWeightResponse
        {
            Result = Written,
            Backend = new BackendConfig { Id = request.Id, Url = "http://10.0.0.5:8080", Weight = request.Weight },
        });

    public override Task<DrainBackendResponse> DrainBackend(DrainBackendRequest request, ServerCallContext context) =>
        AnswerAsync(nameof(DrainBackend), request, context, () => new DrainBackendResponse
        {
            Result = Written,
            Backend = new BackendConfig { Id = request.Id, Url = "http://10.0.0.5:8080", Weight = 1, Draining = true },
        });

    public override Task<UndrainBackendResponse> UndrainBackend(UndrainBackendRequest request, ServerCallContext context) =>
        AnswerAsync(nameof(UndrainBackend), request, context, () => new UndrainBackendResponse
        {
            Result = Written,
            Backend = new BackendConfig { Id = request.Id, Url = "http://10.0.0.5:8080", Weight = 1 },
        });

    public override Task<SetPolicyResponse> SetPolicy(SetPolicyRequest request, ServerCallContext context) =>
        AnswerAsync(nameof(SetPolicy), request, context, () => new SetPolicyResponse { Result = Written, Policy = request.Policy });

    public override async Task WatchView(WatchViewRequest request, IServerStreamWriter<ViewUpdate> responseStream, ServerCallContext context)
    {
        Record(nameof(WatchView), request, context);
        if (Failures.TryGetValue(nameof(WatchView), out var failure))
        {
            throw failure;
        }

        foreach (var update in WatchUpdates)
        {
            await responseStream.WriteAsync(update, context.CancellationToken);
        }

        if (BreakWatchWith is { } code)
        {
            throw new RpcException(new Status(code, "stream broken by the test"));
        }

        if (HoldWatchOpen)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _shutdown.Token);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // The client went away or the test server is stopping: end the stream.
            }
        }
    }

    public static ViewUpdate Update(long version, params string[] routable)
    {
        var update = new ViewUpdate
        {
            NodeId = "n1",
            Version = version,
            Policy = "round-robin",
            ContentHash = $"{version:x4}aabbccddeeff00112233445566778899aabbccddeeff0011223344556677",
            BuiltAt = Timestamp.FromDateTimeOffset(Now),
        };
        update.RoutableBackendIds.Add(routable);
        return update;
    }

    private async Task<T> AnswerAsync<T>(string method, IMessage request, ServerCallContext context, Func<T> reply)
    {
        Record(method, request, context);
        if (Delay > TimeSpan.Zero)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _shutdown.Token);
            await Task.Delay(Delay, stop.Token);
        }

        if (Failures.TryGetValue(method, out var failure))
        {
            throw failure;
        }

        return reply();
    }

    private void Record(string method, IMessage request, ServerCallContext context) =>
        Calls.Enqueue(new RecordedCall(method, request, context.RequestHeaders.GetValue("authorization")));

    private static GetClusterStatusResponse CreateClusterStatus()
    {
        var status = new GetClusterStatusResponse
        {
            NodeId = "n1",
            LeaderNodeId = "n1",
            Term = 3,
            CommitIndex = 42,
            ViewVersion = 17,
            Policy = "round-robin",
        };
        status.Members.Add(new ClusterMember
        {
            NodeId = "n1",
            RaftAddress = "http://127.0.0.1:7201",
            AdminAddress = "http://127.0.0.1:7101",
            Role = RaftRole.Leader,
            Term = 3,
            LastContactMsAgo = -1,
            AppliedIndex = 42,
            CommitIndex = 42,
            Lag = 0,
            IsSelf = true,
        });
        status.Members.Add(new ClusterMember
        {
            NodeId = "n2",
            RaftAddress = "http://127.0.0.1:7202",
            AdminAddress = "http://127.0.0.1:7102",
            Role = RaftRole.Follower,
            Term = 3,
            LastContact = Timestamp.FromDateTimeOffset(Now),
            LastContactMsAgo = 12,
            AppliedIndex = 40,
            CommitIndex = 41,
            Lag = 2,
        });
        status.Members.Add(new ClusterMember
        {
            NodeId = "n3",
            RaftAddress = "http://127.0.0.1:7203",
            AdminAddress = "http://127.0.0.1:7103",
            Role = RaftRole.Unknown,
            LastContactMsAgo = -1,
            Stale = true,
            AppliedIndex = -1,
            CommitIndex = -1,
            Lag = -1,
        });
        return status;
    }

    private static ListBackendsResponse CreateBackends()
    {
        var list = new ListBackendsResponse { NodeId = "n1", ViewVersion = 17, Policy = "least-connections" };

        var healthy = new BackendStatus
        {
            Config = new BackendConfig { Id = "b1", Url = "http://10.0.0.5:8080", Weight = 3 },
            Verdict = new BackendVerdict { Routable = true, Reason = VerdictReason.Routable },
            ActiveTotal = 5,
            BreakerState = BreakerState.Closed,
        };
        healthy.Config.Metadata.Add("zone", "a");
        healthy.Health.Add(new NodeHealth { NodeId = "n1", State = HealthState.Healthy, Since = Timestamp.FromDateTimeOffset(Now), Reason = "2 consecutive successes" });
        healthy.Health.Add(new NodeHealth { NodeId = "n2", State = HealthState.Healthy, Since = Timestamp.FromDateTimeOffset(Now) });
        healthy.ActiveByNode.Add(new NodeLoad { NodeId = "n1", Active = 2 });
        healthy.ActiveByNode.Add(new NodeLoad { NodeId = "n2", Active = 3 });

        var limited = new BackendStatus
        {
            Config = new BackendConfig { Id = "b2", Url = "http://10.0.0.6:8080", Weight = 1, Draining = true },
            Verdict = new BackendVerdict { Routable = false, Reason = VerdictReason.RateLimited, Detail = "429 until 03:05" },
            BreakerState = BreakerState.HalfOpen,
        };
        limited.Health.Add(new NodeHealth
        {
            NodeId = "n1",
            State = HealthState.RateLimited,
            Since = Timestamp.FromDateTimeOffset(Now),
            Reason = "429",
            RetryAfter = Timestamp.FromDateTimeOffset(Now.AddMinutes(1)),
            Stale = true,
        });

        list.Backends.Add(healthy);
        list.Backends.Add(limited);
        return list;
    }
}
