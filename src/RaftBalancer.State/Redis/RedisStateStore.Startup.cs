using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RaftBalancer.State.Redis;

public sealed partial class RedisStateStore
{
    /// <summary>Validates the options, connects (retrying for <see cref="RedisStoreOptions.StartupTimeout"/>), enables the key-expiry
    /// notifications the store needs, subscribes and reads the whole prefix.</summary>
    /// <param name="options">Settings; every invalid field is reported at once.</param>
    /// <param name="loggerFactory">Logging; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">Clock used to stamp writes and pace retries; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The running store.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid (each message names its field).</exception>
    /// <exception cref="StateStoreUnavailableException">Redis stayed unreachable for the start-up timeout; the message names the address.</exception>
    /// <exception cref="StateStoreException">Redis does not publish key-expiry events and they cannot be enabled; the message names the setting.</exception>
    public static async Task<RedisStateStore> StartAsync(
        RedisStoreOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new RedisStoreOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(RedisStoreOptions.SectionName, typeof(RedisStoreOptions), validation.Failures);
        }

        var time = timeProvider ?? TimeProvider.System;
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RedisStateStore>();
        var configuration = ConfigurationOptions.Parse(options.ConnectionString);
        configuration.AbortOnConnectFail = true;
        configuration.AllowAdmin = true;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new LinearRetry((int)options.ReconnectInterval.TotalMilliseconds);
        configuration.ConnectRetry = 1;
        // Several attempts fit in the start-up window even when each one waits for its full timeout.
        configuration.ConnectTimeout = (int)Math.Clamp(options.StartupTimeout.TotalMilliseconds / 4, 100, 5000);
        configuration.AsyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        configuration.SyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        configuration.ClientName ??= "raftbalancer-" + options.NodeId;
        var address = string.Join(",", configuration.EndPoints.Select(Describe));
        Log.RedisConnecting(logger, options.NodeId, address, options.KeyPrefix);

        var redis = await ConnectAsync(configuration, address, options.StartupTimeout, logger, time, cancellationToken);
        var store = new RedisStateStore(options, redis, address, logger, time);
        try
        {
            await store.InitializeAsync(cancellationToken);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }

        return store;
    }

    private static async Task<ConnectionMultiplexer> ConnectAsync(
        ConfigurationOptions configuration, string address, TimeSpan timeout, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ConnectionMultiplexer.ConnectAsync(configuration);
            }
            catch (RedisConnectionException e)
            {
                Log.RedisConnectRetry(logger, address, attempt, FirstLine(e.Message));
                var elapsed = time.GetElapsedTime(started);
                if (elapsed + pause >= timeout)
                {
                    throw new StateStoreUnavailableException(
                        $"Redis at {address} is unreachable: {attempt} connection attempts over {elapsed.TotalSeconds:0.#} s failed (last: {FirstLine(e.Message)}). Check {RedisStoreOptions.SectionName}:ConnectionString and that Redis is running.",
                        e);
                }

                await Task.Delay(pause, time, cancellationToken);
                pause = TimeSpan.FromMilliseconds(Math.Min(2000, pause.TotalMilliseconds * 2));
            }
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var subscriber = _redis.GetSubscriber();
        await WaitForSubscriberConnectionAsync(subscriber, cancellationToken);
        foreach (var channel in new[] { _expiredChannel, _evictedChannel })
        {
            var queue = await subscriber.SubscribeAsync(channel);
            _queues.Add(queue);
            _loops.Add(Task.Run(() => RunFeedAsync(queue, OnKeyEventAsync), CancellationToken.None));
        }

        var changes = await subscriber.SubscribeAsync(_changeChannel);
        _queues.Add(changes);
        _loops.Add(Task.Run(() => RunFeedAsync(changes, OnChangeMessage), CancellationToken.None));
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;

        var (revision, _, _) = await ResyncAsync(cancellationToken);
        _loops.Add(Task.Run(RunResyncLoopAsync, CancellationToken.None));
        Log.RedisReady(_logger, NodeId, _address, revision, _mirror.Entries.Count);
    }

    /// <summary>Waits, within <see cref="RedisStoreOptions.StartupTimeout"/>, until the pub/sub connection is up.</summary>
    /// <remarks>
    /// <c>ConnectAsync</c> can return with the interactive connection up and the subscription connection still
    /// handshaking (seen when the thread pool is starved on a loaded box); with the fail-fast backlog policy a
    /// <c>SUBSCRIBE</c> sent then fails at once with "No connection is active/available". A failed subscribe also
    /// leaves its queue registered in the multiplexer, so waiting first is the fix, not retrying the subscribe.
    /// </remarks>
    private async Task WaitForSubscriberConnectionAsync(ISubscriber subscriber, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (!subscriber.IsConnected(_changeChannel))
        {
            if (_time.GetElapsedTime(started) >= _options.StartupTimeout)
            {
                throw new StateStoreUnavailableException(
                    $"Redis at {_address} accepted the connection but its pub/sub connection did not come up within {_options.StartupTimeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken);
        }
    }

    /// <summary>Makes sure Redis publishes keyevent notifications for expired (and evicted) keys.</summary>
    /// <remarks>
    /// Reads <c>notify-keyspace-events</c> and adds the missing flags with <c>CONFIG SET</c>; this runs again after every
    /// reconnect because a restarted Redis forgets a setting made at run time. Where <c>CONFIG</c> is not available
    /// (managed services rename or forbid it), an expiring probe key shows whether the notifications arrive anyway.
    /// </remarks>
    private async Task EnsureNotificationsAsync(CancellationToken cancellationToken)
    {
        const string Setting = "notify-keyspace-events";
        string current;
        try
        {
            var reply = (RedisResult[])(await _db.ExecuteAsync("CONFIG", "GET", Setting).WaitAsync(cancellationToken))!;
            current = reply.Length >= 2 ? (string?)reply[1] ?? string.Empty : string.Empty;
        }
        catch (RedisServerException e)
        {
            if (await ExpiryEventsArriveAsync(cancellationToken))
            {
                return;
            }

            throw new StateStoreException(
                $"Redis at {_address} does not publish key-expiry events, and CONFIG is not available to this client to enable them ({e.Message}). Set {Setting} to include 'E' and 'x' (for example '{Setting} Ex' in redis.conf or the service's parameter group).",
                e);
        }

        var hasAll = current.Contains('A', StringComparison.Ordinal);
        var missing = string.Concat(
            current.Contains('E', StringComparison.Ordinal) ? string.Empty : "E",
            hasAll || current.Contains('x', StringComparison.Ordinal) ? string.Empty : "x");
        if (missing.Length == 0)
        {
            return;
        }

        var wanted = current + missing + (hasAll || current.Contains('e', StringComparison.Ordinal) ? string.Empty : "e");
        try
        {
            await _db.ExecuteAsync("CONFIG", "SET", Setting, wanted).WaitAsync(cancellationToken);
        }
        catch (RedisServerException e)
        {
            throw new StateStoreException(
                $"Redis at {_address} has {Setting} '{current}', which lacks '{missing}' (the store needs 'E' keyevent and 'x' expired), and CONFIG SET was refused ({e.Message}). Set {Setting} to include 'E' and 'x', for example '{Setting} Ex'.",
                e);
        }

        Log.RedisNotificationsEnabled(_logger, _address, current, wanted);
    }

    /// <summary>Sets a probe key that expires at once and waits briefly for its expiry notification.</summary>
    private async Task<bool> ExpiryEventsArriveAsync(CancellationToken cancellationToken)
    {
        var probe = _metaPrefix + "probe:" + Guid.NewGuid().ToString("N");
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _markers[probe] = seen;
        try
        {
            await _db.StringSetAsync(probe, "1", TimeSpan.FromMilliseconds(1));
            var started = _time.GetTimestamp();
            while (_time.GetElapsedTime(started) < TimeSpan.FromSeconds(2))
            {
                // Touching the key makes Redis expire it now rather than in its next active cycle.
                await _db.KeyExistsAsync(probe);
                if (await Task.WhenAny(seen.Task, Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken)) == seen.Task)
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            _markers.TryRemove(probe, out _);
        }
    }

    private static string Describe(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        IPEndPoint ip => ip.ToString(),
        _ => endPoint.ToString() ?? "?",
    };

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
