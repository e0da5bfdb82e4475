namespace RaftBalancer.State.Redis;

/// <summary>The Lua scripts that make each write and its change event one atomic step inside Redis.</summary>
/// <remarks>
/// Redis runs a script without interleaving other commands, so the revision counter, the value and the
/// PUBLISH of the change move together: the change channel carries events in revision order and a
/// snapshot taken by <see cref="Snapshot"/> is exactly the state at the revision it returns.
/// </remarks>
internal static class RedisScripts
{
    /// <summary>KEYS: data key, revision key. ARGV: frame, ttl ms (0 = none), channel. Returns the revision.</summary>
    public const string Set = """
        local rev = string.format('%d', redis.call('INCR', KEYS[2]))
        local payload = rev .. ':' .. ARGV[1]
        local ttl = tonumber(ARGV[2])
        if ttl > 0 then
          redis.call('SET', KEYS[1], payload, 'PX', ttl)
        else
          redis.call('SET', KEYS[1], payload)
        end
        redis.call('PUBLISH', ARGV[3], payload)
        return tonumber(rev)
        """;

    /// <summary>KEYS: data key, revision key. ARGV: frame, channel. Returns the revision, or 0 if the key was absent.</summary>
    public const string Delete = """
        if redis.call('DEL', KEYS[1]) == 0 then
          return 0
        end
        local rev = string.format('%d', redis.call('INCR', KEYS[2]))
        redis.call('PUBLISH', ARGV[2], rev .. ':' .. ARGV[1])
        return tonumber(rev)
        """;

    /// <summary>
    /// KEYS: revision key. ARGV: KEYS glob, revision floor. Raises the counter to the floor (so revisions never go
    /// back after Redis lost its data), then returns <c>{revision, key1, type1, value1, …}</c> (value is nil
    /// for a key that is not a string).
    /// </summary>
    public const string Snapshot = """
        local c = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
        local floor = tonumber(ARGV[2])
        if c < floor then
          redis.call('SET', KEYS[1], ARGV[2])
          c = floor
        end
        local out = { string.format('%d', c) }
        for _, k in ipairs(redis.call('KEYS', ARGV[1])) do
          local t = redis.call('TYPE', k).ok
          out[#out + 1] = k
          out[#out + 1] = t
          if t == 'string' then
            out[#out + 1] = redis.call('GET', k)
          else
            out[#out + 1] = false
          end
        end
        return out
        """;

    /// <summary>KEYS: data key, revision key. Returns <c>{exists, revision}</c> at one instant.</summary>
    public const string Probe = """
        return { redis.call('EXISTS', KEYS[1]), tonumber(redis.call('GET', KEYS[2]) or '0') or 0 }
        """;
}
