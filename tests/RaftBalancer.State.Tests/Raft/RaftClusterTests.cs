namespace RaftBalancer.State.Tests.Raft;

[Trait("Category", "Integration")]
public sealed class RaftClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StartAsync_ThreeMembers_ElectsOneLeaderAndWritesOnAnyMemberAppearEverywhere()
    {
        await using var cluster = await RaftTestCluster.StartAsync();
        var leader = await cluster.WaitForLeaderAsync();

        for (var i = 0; i < 3; i++)
        {
            await cluster[i].SetAsync($"config/backends/b{i}", Encoding.UTF8.GetBytes($"from {i}"));
        }

        foreach (var node in cluster.Running)
        {
            await RaftTestCluster.EventuallyAsync(async () => (await node.ListAsync("config/backends/")).Count == 3, $"{node.NodeId} sees 3 backends");
            Assert.Equal(cluster.Members[leader].Id, node.LeaderId);
        }

        foreach (var node in cluster.Running)
        {
            var leadership = node.Leadership;
            Assert.Equal(node.NodeId == cluster.Members[leader].Id, leadership.IsLeader);
            Assert.Equal(cluster.Members[leader].Id, leadership.LeaderId);
            Assert.Equal(cluster[leader].Term, leadership.Term);
        }

        var status = (await cluster[leader].GetStatusAsync());
        Assert.True(status.IsLeader);
        Assert.Equal(3, status.Members.Count);
        Assert.True(status.Term > 0);
        Assert.True(status.CommitIndex >= 3);
        Assert.All(status.Members, m => Assert.NotNull(m.Lag));
    }

    [Fact]
    public async Task HungMember_AcceptsButNeverAnswers_TheOtherTwoStillElectALeaderAndCommit()
    {
        // DotNext's candidate waits for every vote until its election timeout: a member whose requests neither
        // answer nor fail (SIGSTOP, frozen VM, black-holed link) made every election time out. The store's
        // election guard fails requests to such a member while no leader is known, so it counts as unavailable.
        var logs = new Redis.ListLoggerFactory();
        await using var cluster = new RaftTestCluster(3) { LoggerFactory = logs };
        using var hung = BlackHoleListener.Start(cluster.Members[2].RaftAddress);
        await Task.WhenAll(cluster.StartNodeAsync(0), cluster.StartNodeAsync(1));

        var stopwatch = Stopwatch.StartNew();
        int leader;
        try
        {
            leader = await cluster.WaitForLeaderAsync();
        }
        catch (TimeoutException)
        {
            output.WriteLine($"guard interventions: n1 {cluster[0].ElectionGuardInterventions}, n2 {cluster[1].ElectionGuardInterventions}");
            foreach (var (id, level, message) in logs.Entries.TakeLast(80))
            {
                output.WriteLine($"{level} {id} {message}");
            }

            throw;
        }

        output.WriteLine($"leader {cluster.Members[leader].Id} after {stopwatch.ElapsedMilliseconds} ms with n3 hung ({hung.Accepted} connections swallowed)");
        Assert.InRange(leader, 0, 1);
        Assert.True(hung.Accepted > 0, "the hung member was never contacted, so the test proves nothing");

        await cluster[1 - leader].SetAsync("config/hung", Encoding.UTF8.GetBytes("committed"));
        Assert.Equal("committed", Encoding.UTF8.GetString((await cluster[leader].GetAsync("config/hung", ReadConsistency.Linearizable))!.Value.Span));
    }

    [Fact]
    public async Task HungMemberComesBack_ItIsTrustedAgain_AndTheNextElectionNeedsIt()
    {
        // The follower that saw n3 hung still marks it unavailable when n3 comes back; once the leader stops, n3's
        // vote is needed. The guard's quiet windows must let that happen, not lock n3 out.
        await using var cluster = new RaftTestCluster(3);
        var hung = BlackHoleListener.Start(cluster.Members[2].RaftAddress);
        await Task.WhenAll(cluster.StartNodeAsync(0), cluster.StartNodeAsync(1));
        var leader = await cluster.WaitForLeaderAsync();
        await cluster[leader].SetAsync("config/before", Encoding.UTF8.GetBytes("1"));

        hung.Dispose();
        await cluster.StartNodeAsync(2);
        await RaftTestCluster.EventuallyAsync(() => Task.FromResult(cluster[2].LeaderId == cluster.Members[leader].Id && cluster[2].AppliedIndex >= cluster[leader].CommitIndex), "n3 follows the leader and caught up");

        await cluster.StopNodeAsync(leader);
        var next = await cluster.WaitForLeaderAsync();
        Assert.NotEqual(leader, next);
        await cluster[next].SetAsync("config/after", Encoding.UTF8.GetBytes("2"));
        foreach (var node in cluster.Running)
        {
            Assert.NotNull(await node.GetAsync("config/before", ReadConsistency.Linearizable));
            Assert.NotNull(await node.GetAsync("config/after", ReadConsistency.Linearizable));
        }
    }

    [Fact]
    public async Task LeaderWhoseLogLearnedANewerTerm_RefusesToProposeAndAppendsNothingOfItsOwn()
    {
        // What a paused leader goes through when it resumes: DotNext writes the newer term to its log before it swaps the
        // leader state out. An entry proposed in that gap was stamped with the newer term (same index and term as the new
        // leader's no-op: the chaos paused-leader log divergence, seed 822670). It must be refused instead.
        await using var cluster = await RaftTestCluster.StartAsync();
        var leader = await cluster.WaitForLeaderAsync();
        var store = cluster[leader];
        await store.SetAsync("config/before", Encoding.UTF8.GetBytes("1"));
        var term = store.Term;
        var before = store.Wal.LastEntryIndex;

        await ((DotNext.Net.Cluster.Consensus.Raft.IPersistentState)store.Wal).UpdateTermAsync(term + 1, true, CancellationToken.None);
        var entry = new RaftBalancer.Contracts.V1.StateLogEntry
        {
            FormatVersion = 1,
            OriginNodeId = store.NodeId,
            Set = new RaftBalancer.Contracts.V1.SetCommand { Key = "config/stale-term", Value = Google.Protobuf.ByteString.CopyFromUtf8("x") },
        };
        using var shortly = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<DotNext.Net.Cluster.Consensus.Raft.NotLeaderException>(() => store.ProposeLocallyAsync(entry, 0, shortly.Token));

        // Whatever the cluster did meanwhile, no entry after the old end of the log is this proposal.
        var after = store.Wal.LastEntryIndex;
        if (after > before)
        {
            using var entries = await store.Wal.ReadAsync(before + 1, after);
            foreach (var logged in entries)
            {
                if (logged.TryGetPayload(out var payload) && !payload.IsEmpty)
                {
                    Assert.NotEqual("config/stale-term", RaftBalancer.State.Machine.StateCodec.DecodeEntry(payload).Set?.Key);
                }
            }
        }
    }

    [Fact]
    public async Task StopLeader_NewLeaderElected_NoAcknowledgedWriteLost()
    {
        await using var cluster = await RaftTestCluster.StartAsync();
        var leader = await cluster.WaitForLeaderAsync();
        var acknowledged = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var key = $"ack/{i}";
            await cluster[(leader + 1 + (i % 2)) % 3].SetAsync(key, new byte[] { (byte)i });
            acknowledged.Add(key);
        }

        var stopwatch = Stopwatch.StartNew();
        await cluster.StopNodeAsync(leader);
        var newLeader = await cluster.WaitForLeaderAsync();
        output.WriteLine($"new leader {cluster.Members[newLeader].Id} after {stopwatch.ElapsedMilliseconds} ms (graceful in-process stop)");
        Assert.NotEqual(leader, newLeader);

        foreach (var node in cluster.Running)
        {
            foreach (var key in acknowledged)
            {
                Assert.NotNull(await node.GetAsync(key, ReadConsistency.Linearizable));
            }
        }

        await cluster[newLeader].SetAsync("after/failover", new byte[] { 1 });
    }

    [Fact]
    public async Task KillLeaderProcess_Sigkill_NewLeaderElected_NoAcknowledgedWriteLost()
    {
        // n1 runs as its own process (the load program's node mode) and is killed with SIGKILL while it leads: no Raft
        // stop, no socket shutdown by the member, no flush. n2 and n3 run here, with slower elections so that n1 wins
        // (while they keep writing through it, forwarded); n2 and n3 must elect a new leader and keep every write
        // they were told was committed.
        await using var cluster = new RaftTestCluster(3, o =>
        {
            o.ElectionTimeoutLower = TimeSpan.FromMilliseconds(500);
            o.ElectionTimeoutUpper = TimeSpan.FromMilliseconds(1000);
        });
        await using var member = RaftMemberProcess.Start(cluster, 0);
        await member.WaitUntilServingAsync(cluster.Members[0].ForwardAddress, TimeSpan.FromSeconds(60));
        await Task.WhenAll(cluster.StartNodeAsync(1), cluster.StartNodeAsync(2));
        await WaitUntilProcessLeadsAsync(cluster, member);
        output.WriteLine($"n1 (pid {member.Pid}) leads in term {cluster[1].Term}");

        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>();
        var killed = new TaskCompletionSource();
        var afterKill = new int[2];
        var unavailable = 0;
        using var stop = new CancellationTokenSource();

        // Each write holds one of two permits; taking both pauses the writers between writes.
        using var running = new SemaphoreSlim(2, 2);
        var writers = new[] { 1, 2 }.Select(node => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"ack/n{node + 1}/{i}";
                var value = (byte)(i % 251);
                await running.WaitAsync();
                try
                {
                    await cluster[node].SetAsync(key, new[] { value });
                }
                catch (StateStoreUnavailableException)
                {
                    Interlocked.Increment(ref unavailable); // not acknowledged: may or may not be there
                    continue;
                }
                finally
                {
                    running.Release();
                }

                acknowledged[key] = value;
                if (killed.Task.IsCompleted)
                {
                    Interlocked.Increment(ref afterKill[node - 1]);
                }
            }
        })).ToArray();

        try
        {
            await RaftTestCluster.EventuallyAsync(() => Task.FromResult(acknowledged.Count >= 200), "200 writes acknowledged through the leader process");

            // On a loaded box n1 can lose the lead to n2 or n3 meanwhile; then pause the writers, hand it back, go on.
            while (cluster[1].LeaderId != "n1" || cluster[2].LeaderId != "n1" || cluster.Running.Any(n => n.IsLeader))
            {
                await running.WaitAsync();
                await running.WaitAsync();
                try
                {
                    await WaitUntilProcessLeadsAsync(cluster, member);
                }
                finally
                {
                    running.Release(2);
                }

                var resumedAt = acknowledged.Count;
                await RaftTestCluster.EventuallyAsync(() => Task.FromResult(acknowledged.Count >= resumedAt + 20), "writes go on through n1");
            }

            var beforeKill = acknowledged.ToArray();
            var stopwatch = Stopwatch.StartNew();
            await member.KillAsync();
            killed.SetResult();
            var newLeader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
            output.WriteLine($"SIGKILL of n1 -> {cluster.Members[newLeader].Id} leads (term {cluster[newLeader].Term}), agreed by n2 and n3 after {stopwatch.ElapsedMilliseconds} ms; {beforeKill.Length} writes acknowledged before the kill");
            Assert.NotEqual(0, newLeader);

            // Both writers commit again through the new leader.
            await RaftTestCluster.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref afterKill[0]) >= 20 && Volatile.Read(ref afterKill[1]) >= 20), "both survivors commit again after the kill", TimeSpan.FromSeconds(60));
            await stop.CancelAsync();
            await Task.WhenAll(writers).WaitAsync(RaftTestCluster.Deadline);
            output.WriteLine($"{acknowledged.Count} writes acknowledged in all, {unavailable} failed as unavailable");

            foreach (var node in cluster.Running)
            {
                var held = (await node.ListAsync("ack/", ReadConsistency.Linearizable)).ToDictionary(e => e.Key, e => e.Value.Span[0]);
                var lost = beforeKill.Where(a => !held.TryGetValue(a.Key, out var v) || v != a.Value).Select(a => a.Key).ToList();
                Assert.True(lost.Count == 0, $"{node.NodeId} lost {lost.Count} writes acknowledged before the kill: {string.Join(", ", lost.Take(10))}");
                var lostLater = acknowledged.Where(a => !held.TryGetValue(a.Key, out var v) || v != a.Value).Select(a => a.Key).ToList();
                Assert.True(lostLater.Count == 0, $"{node.NodeId} lost {lostLater.Count} acknowledged writes: {string.Join(", ", lostLater.Take(10))}");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers).WaitAsync(RaftTestCluster.Deadline).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Waits until n2 and n3 follow the member process n1; an in-process member that won instead is restarted
    /// (gracefully) so that n1, whose elections are faster, wins the next one.</summary>
    private async Task WaitUntilProcessLeadsAsync(RaftTestCluster cluster, RaftMemberProcess member)
    {
        var stopwatch = Stopwatch.StartNew();
        while (cluster[1].LeaderId != member.NodeId || cluster[2].LeaderId != member.NodeId)
        {
            Assert.False(member.HasExited, $"member process n1 exited: {member.Output}");
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"n1 (process) never led; views: n2->{cluster[1].LeaderId ?? "none"}, n3->{cluster[2].LeaderId ?? "none"}; n1 printed: {member.Output}");
            }

            if (cluster.Running.FirstOrDefault(n => n.IsLeader) is { } inProcess)
            {
                output.WriteLine($"{inProcess.NodeId} won the election; restarting it so that n1 leads");
                var index = cluster.IndexOf(inProcess.NodeId);
                await cluster.StopNodeAsync(index);
                await cluster.StartNodeAsync(index);
            }

            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task RestartFollower_AfterThousandWrites_CatchesUpFromItsDataDirectory()
    {
        await using var cluster = await RaftTestCluster.StartAsync();
        var leader = await cluster.WaitForLeaderAsync();
        await cluster[leader].SetAsync("before", new byte[] { 1 });
        var follower = (leader + 1) % 3;
        await RaftTestCluster.EventuallyAsync(async () => await cluster[follower].GetAsync("before") is not null, "follower has the first write");
        await cluster.StopNodeAsync(follower);

        await WriteManyAsync(cluster[leader], "bulk/", 1000);
        await cluster.StartNodeAsync(follower);

        await RaftTestCluster.EventuallyAsync(async () => (await cluster[follower].ListAsync("bulk/")).Count == 1000, "restarted follower has all 1000 entries");
        Assert.NotNull(await cluster[follower].GetAsync("before"));
        Assert.Equal(cluster[leader].Revision, cluster[follower].Revision);
    }

    [Fact]
    public async Task Snapshots_FiftyThousandWrites_LogOnDiskStaysBounded()
    {
        await using var cluster = await RaftTestCluster.StartAsync(configure: o =>
        {
            o.SnapshotInterval = 2000;
            o.SegmentSize = 64 * 1024;
        });
        var leader = await cluster.WaitForLeaderAsync();
        long maxWalBytes = 0;
        for (var batch = 0; batch < 10; batch++)
        {
            await WriteManyAsync(cluster[leader], "load/", 5000, keySpace: 100, valueBytes: 64);
            maxWalBytes = Math.Max(maxWalBytes, cluster.Members.Select((_, i) => DirectorySize(Path.Combine(cluster.DataDirectory(i), "wal"))).Max());
        }

        output.WriteLine($"largest WAL directory seen: {maxWalBytes / 1024} KiB; snapshot index {(await cluster[leader].GetStatusAsync()).SnapshotIndex}");

        // 50,000 entries of ~100 bytes are ~5 MB of log; with snapshots every 2,000 entries the WAL keeps
        // a few segments. Unbounded growth would be far above this limit.
        Assert.True(maxWalBytes < 2 * 1024 * 1024, $"WAL grew to {maxWalBytes} bytes");
        Assert.True((await cluster[leader].GetStatusAsync()).SnapshotIndex >= 40_000);
    }

    [Fact]
    public async Task RestartFollower_LeaderSnapshottedMeanwhile_CatchesUpThroughSnapshotInstall()
    {
        await using var cluster = await RaftTestCluster.StartAsync(configure: o => o.SnapshotInterval = 500);
        var leader = await cluster.WaitForLeaderAsync();
        var follower = (leader + 1) % 3;
        await cluster[leader].SetAsync("seed", new byte[] { 1 });
        await RaftTestCluster.EventuallyAsync(async () => await cluster[follower].GetAsync("seed") is not null, "follower has the seed");
        await cluster.StopNodeAsync(follower);

        await WriteManyAsync(cluster[leader], "snap/", 3000, keySpace: 700);
        await cluster[leader].DeleteAsync("seed");
        var leaderStatus = (await cluster[leader].GetStatusAsync());
        Assert.True(leaderStatus.SnapshotIndex > 1000, $"leader snapshot index {leaderStatus.SnapshotIndex}");
        var down = leaderStatus.Members.Single(m => m.Id == cluster.Members[follower].Id);
        Assert.False(down.Available);
        Assert.Null(down.Lag);

        var stopwatch = Stopwatch.StartNew();
        await cluster.StartNodeAsync(follower);
        await RaftTestCluster.EventuallyAsync(
            () => Task.FromResult(cluster[follower].Revision == cluster[leader].Revision),
            "restarted follower reaches the leader's revision");
        output.WriteLine($"caught up through snapshot in {stopwatch.ElapsedMilliseconds} ms; follower snapshot index {(await cluster[follower].GetStatusAsync()).SnapshotIndex}");

        Assert.Equal(700, (await cluster[follower].ListAsync("snap/")).Count);
        Assert.Null(await cluster[follower].GetAsync("seed"));
        await RaftTestCluster.EventuallyAsync(
            async () => (await cluster[leader].GetStatusAsync()).Members.Single(m => m.Id == cluster.Members[follower].Id) is { Available: true, Lag: < 10 },
            "leader reports the follower's lag back near zero");
    }

    [Fact]
    public async Task IsolatedMember_CannotCommit_FailsClearlyAndRejoinsCleanly()
    {
        await using var cluster = await RaftTestCluster.StartAsync(configure: o => o.WriteTimeout = TimeSpan.FromSeconds(2));
        var leader = await cluster.WaitForLeaderAsync();
        await cluster[leader].SetAsync("before", new byte[] { 1 });
        var isolated = (leader + 1) % 3;
        await RaftTestCluster.EventuallyAsync(async () => await cluster[isolated].GetAsync("before") is not null, "isolated member has the first write");

        // Cut the member off from both peers (here: the peers go away, so it is alone in a minority).
        var others = Enumerable.Range(0, 3).Where(i => i != isolated).ToArray();
        foreach (var i in others)
        {
            await cluster.StopNodeAsync(i);
        }

        var error = await Assert.ThrowsAsync<StateStoreUnavailableException>(async () => await cluster[isolated].SetAsync("minority", new byte[] { 2 }));
        output.WriteLine(error.Message);
        Assert.Contains("not committed within 2 s", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<StateStoreUnavailableException>(async () => await cluster[isolated].GetAsync("before", ReadConsistency.Linearizable));
        Assert.NotNull(await cluster[isolated].GetAsync("before"));

        foreach (var i in others)
        {
            await cluster.StartNodeAsync(i);
        }

        var newLeader = await cluster.WaitForLeaderAsync();
        await cluster[newLeader].SetAsync("after", new byte[] { 3 });
        await RaftTestCluster.EventuallyAsync(async () => await cluster[isolated].GetAsync("after") is not null, "rejoined member sees later writes");
        await cluster[isolated].SetAsync("from-rejoined", new byte[] { 4 });
        foreach (var node in cluster.Running)
        {
            Assert.NotNull(await node.GetAsync("from-rejoined", ReadConsistency.Linearizable));
        }
    }

    [Fact]
    public async Task IsolatedLeader_CutByLinkFaults_MajorityMovesOn_OldLeadersWritesFailAndVanish_ItRejoinsAndConverges()
    {
        // A real cut (the per-link fault gate drops every Raft and forwarding send between the leader and both peers,
        // both directions) of the member that leads, not peers going away: the majority must elect a new leader and
        // keep committing; what the old leader accepts while cut off must fail and never show up anywhere.
        await using var cluster = await RaftTestCluster.StartAsync(configure: o => o.WriteTimeout = TimeSpan.FromSeconds(3), chaos: true);
        var old = await cluster.WaitForLeaderAsync();
        var oldLeader = cluster[old];
        var majority = Enumerable.Range(0, 3).Where(i => i != old).ToArray();
        await oldLeader.SetAsync("before", new byte[] { 1 });
        await RaftTestCluster.EventuallyAsync(async () => (await Task.WhenAll(cluster.Running.Select(n => n.GetAsync("before").AsTask()))).All(e => e is not null), "every member has the first write");
        var termBefore = oldLeader.Term;
        var logEndBefore = oldLeader.Wal.LastEntryIndex;

        var stopwatch = Stopwatch.StartNew();
        cluster.Isolate(old);

        // Proposed at once, while the old leader still believes it leads: the entry goes into its own log only.
        var whileLeading = Assert.ThrowsAsync<StateStoreUnavailableException>(async () => await oldLeader.SetAsync("minority/while-leading", new byte[] { 2 }));

        var newLeader = await cluster.WaitForLeaderAsync(among: majority);
        output.WriteLine($"majority elected {cluster.Members[newLeader].Id} (term {cluster[newLeader].Term}, was {termBefore}) {stopwatch.ElapsedMilliseconds} ms after the cut");
        Assert.NotEqual(old, newLeader);
        Assert.True(cluster[newLeader].Term > termBefore);

        // The majority keeps committing, on the new leader and forwarded from the other follower.
        for (var i = 0; i < 20; i++)
        {
            await cluster[majority[i % 2]].SetAsync($"majority/{i}", new byte[] { (byte)i });
        }

        var error = await whileLeading;
        output.WriteLine($"old leader's write: {error.Message}");
        Assert.Contains($"Write on node '{oldLeader.NodeId}' was not committed within 3 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("minority/while-leading", await LoggedKeysAsync(oldLeader, logEndBefore + 1));
        Assert.Null(await oldLeader.GetAsync("minority/while-leading"));

        // Still cut off, whatever it believes by now (leads: {IsLeader}): a write and a linearizable read fail clearly.
        output.WriteLine($"old leader still believes it leads: {oldLeader.IsLeader}; knows leader {oldLeader.LeaderId ?? "none"}");
        var later = await Assert.ThrowsAsync<StateStoreUnavailableException>(async () => await oldLeader.SetAsync("minority/later", new byte[] { 3 }));
        output.WriteLine($"old leader's second write: {later.Message}");
        Assert.Contains("not committed within 3 s", later.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<StateStoreUnavailableException>(async () => await oldLeader.GetAsync("before", ReadConsistency.Linearizable));
        foreach (var i in majority)
        {
            Assert.Null(await cluster[i].GetAsync("minority/while-leading", ReadConsistency.Linearizable));
        }

        cluster.HealAll();
        stopwatch.Restart();
        var leader = await cluster.WaitForLeaderAsync();
        await RaftTestCluster.EventuallyAsync(
            () => Task.FromResult(cluster.Running.All(n => n.Revision == cluster[leader].Revision && n.AppliedIndex >= cluster[leader].CommitIndex)),
            "the old leader caught up with the majority");
        output.WriteLine($"after healing: leader {cluster.Members[leader].Id}, all members at revision {cluster[leader].Revision} within {stopwatch.ElapsedMilliseconds} ms");

        var expected = Describe(await cluster[leader].ListAsync(string.Empty, ReadConsistency.Linearizable));
        Assert.Equal(21, expected.Count);
        foreach (var node in cluster.Running)
        {
            Assert.Equal(expected, Describe(await node.ListAsync(string.Empty, ReadConsistency.Linearizable)));
            Assert.Null(await node.GetAsync("minority/while-leading", ReadConsistency.Linearizable));
            Assert.Null(await node.GetAsync("minority/later", ReadConsistency.Linearizable));
        }

        // Rejoined cleanly: it commits again.
        await oldLeader.SetAsync("after/rejoined", new byte[] { 4 });
        foreach (var node in cluster.Running)
        {
            Assert.NotNull(await node.GetAsync("after/rejoined", ReadConsistency.Linearizable));
        }

        static List<string> Describe(IReadOnlyList<StateEntry> entries)
            => entries.Select(e => $"{e.Key} r{e.Revision} {e.OriginNodeId} {Convert.ToHexString(e.Value.Span)}").ToList();
    }

    [Fact]
    public async Task Expiry_DecidedByLeader_EveryNodeSeesTheSameDelete()
    {
        await using var cluster = await RaftTestCluster.StartAsync();
        var leader = await cluster.WaitForLeaderAsync();
        var watches = cluster.Running.Select(n => n.Watch("health/")).ToList();
        try
        {
            await cluster[(leader + 1) % 3].SetAsync("health/b1/n2", new byte[] { 1 }, TimeSpan.FromMilliseconds(50));
            var deletes = new List<StateEvent>();
            foreach (var watch in watches)
            {
                await using var events = watch.GetAsyncEnumerator();
                Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(RaftTestCluster.Deadline));
                Assert.Equal(StateEventKind.Set, events.Current.Kind);
                Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(RaftTestCluster.Deadline));
                deletes.Add(events.Current);
            }

            Assert.All(deletes, d => Assert.Equal(StateEventKind.Delete, d.Kind));
            Assert.Single(deletes.Select(d => (d.Revision, d.Timestamp, d.OriginNodeId)).Distinct());
            Assert.Equal(cluster.Members[leader].Id, deletes[0].OriginNodeId);
        }
        finally
        {
            watches.ForEach(w => w.Dispose());
        }
    }

    /// <summary>The keys of the entries in a member's own log from <paramref name="from"/> on, committed or not.</summary>
    private static async Task<List<string>> LoggedKeysAsync(RaftStateStore store, long from)
    {
        var keys = new List<string>();
        var to = store.Wal.LastEntryIndex;
        if (to >= from)
        {
            using var entries = await store.Wal.ReadAsync(from, to);
            foreach (var logged in entries)
            {
                if (logged.TryGetPayload(out var payload) && !payload.IsEmpty)
                {
                    var entry = RaftBalancer.State.Machine.StateCodec.DecodeEntry(payload);
                    keys.Add(entry.Set?.Key ?? entry.Delete?.Key ?? entry.Expire?.Key ?? string.Empty);
                }
            }
        }

        return keys;
    }

    private static async Task WriteManyAsync(RaftStateStore store, string prefix, int count, int keySpace = int.MaxValue, int valueBytes = 8)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await store.SetAsync($"{prefix}{i % keySpace}", new byte[valueBytes]);
            }
        })));
    }

    private static long DirectorySize(string path)
        => Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;
}
