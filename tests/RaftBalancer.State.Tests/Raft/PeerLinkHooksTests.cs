using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace RaftBalancer.State.Tests.Raft;

/// <summary>The fault seam's contract: a store started with <see cref="IPeerLinkHooks"/> calls them, by peer id, on all its outbound traffic.</summary>
[Trait("Category", "Integration")]
public sealed class PeerLinkHooksTests
{
    [Fact]
    public async Task StartAsync_WithLinkHooks_EveryOutboundRaftConnectionAndForwardedWritePassesThemByPeerId()
    {
        await using var layout = new RaftTestCluster(3);
        var hooks = layout.Members.Select(_ => new RecordingHooks()).ToArray();
        var stores = new List<RaftStateStore>();
        try
        {
            for (var i = 0; i < hooks.Length; i++)
            {
                stores.Add(await RaftStateStore.StartAsync(layout.OptionsFor(i), hooks[i]));
            }

            await RaftTestCluster.EventuallyAsync(() => Task.FromResult(stores.Any(s => s.IsLeader) && stores.All(s => s.LeaderId is not null)), "a leader every member knows");
            var leader = stores.Single(s => s.IsLeader);
            var follower = stores.First(s => !s.IsLeader);
            var followerHooks = hooks[stores.IndexOf(follower)];

            // A follower's write is forwarded to the leader over HTTP, through the handler the hooks returned.
            await follower.SetAsync("hooked", new byte[] { 1 });

            Assert.Contains(leader.NodeId, followerHooks.Forwarded);

            // The leader replicates to every follower: each of its connections was announced and wrapped, by member id.
            var leaderHooks = hooks[stores.IndexOf(leader)];
            var followers = stores.Where(s => s != leader).Select(s => s.NodeId).Order(StringComparer.Ordinal).ToArray();
            await RaftTestCluster.EventuallyAsync(
                () => Task.FromResult(followers.All(leaderHooks.Connecting.Contains) && followers.All(leaderHooks.Wrapped.Contains)),
                "the leader connected to and wrapped a connection to each of " + string.Join(",", followers));
            for (var i = 0; i < hooks.Length; i++)
            {
                var peers = layout.Members.Where((_, j) => j != i).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
                Assert.All(hooks[i].Connecting.Concat(hooks[i].Wrapped).Concat(hooks[i].Forwarded), peer => Assert.Contains(peer, peers));
                Assert.Equal(1, hooks[i].HandlersWrapped);
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.CloseAsync();
            }
        }
    }

    private sealed class RecordingHooks : IPeerLinkHooks
    {
        private int _handlersWrapped;

        public ConcurrentQueue<string> Connecting { get; } = new();

        public ConcurrentQueue<string> Wrapped { get; } = new();

        public ConcurrentQueue<string> Forwarded { get; } = new();

        public int HandlersWrapped => Volatile.Read(ref _handlersWrapped);

        public ValueTask BeforeConnectAsync(string peerId, CancellationToken cancellationToken)
        {
            Connecting.Enqueue(peerId);
            return ValueTask.CompletedTask;
        }

        public IDuplexPipe WrapTransport(string peerId, ConnectionContext connection)
        {
            Wrapped.Enqueue(peerId);
            return connection.Transport;
        }

        public HttpMessageHandler WrapForwardingHandler(HttpMessageHandler inner, IReadOnlyDictionary<string, string> peersByAuthority)
        {
            Interlocked.Increment(ref _handlersWrapped);
            return new RecordingHandler(inner, peersByAuthority, Forwarded);
        }
    }

    private sealed class RecordingHandler(HttpMessageHandler inner, IReadOnlyDictionary<string, string> peersByAuthority, ConcurrentQueue<string> sent) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sent.Enqueue(peersByAuthority.TryGetValue(request.RequestUri!.Authority, out var peer) ? peer : "unknown:" + request.RequestUri.Authority);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
