using StackExchange.Redis;

namespace RaftBalancer.State.Redis;

/// <summary>Checks <see cref="RedisStoreOptions"/>, collecting every error with the field named.</summary>
public sealed class RedisStoreOptionsValidator : CollectingOptionsValidator<RedisStoreOptions>
{
    /// <inheritdoc/>
    protected override void Collect(RedisStoreOptions options, List<string> errors)
    {
        const string P = RedisStoreOptions.SectionName + ":";

        if (string.IsNullOrWhiteSpace(options.NodeId))
        {
            errors.Add($"{P}NodeId: this node's id is empty.");
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{P}ConnectionString: empty; give the Redis address, e.g. 127.0.0.1:6379.");
        }
        else
        {
            try
            {
                var parsed = ConfigurationOptions.Parse(options.ConnectionString);
                if (parsed.EndPoints.Count == 0)
                {
                    errors.Add($"{P}ConnectionString: '{options.ConnectionString}' names no endpoint (host:port).");
                }
            }
            catch (ArgumentException e)
            {
                errors.Add($"{P}ConnectionString: '{options.ConnectionString}' does not parse: {e.Message}");
            }
        }

        if (string.IsNullOrEmpty(options.KeyPrefix))
        {
            errors.Add($"{P}KeyPrefix: empty; every key must live under a prefix (default 'raftbalancer:').");
        }
        else if (KeyValueRules.TryValidateKey(options.KeyPrefix) is { } error)
        {
            errors.Add($"{P}KeyPrefix: {error.Replace("Key", "Prefix", StringComparison.Ordinal)}");
        }

        CheckPositive(options.StartupTimeout, "StartupTimeout", errors);
        CheckPositive(options.OperationTimeout, "OperationTimeout", errors);
        CheckPositive(options.ReconnectInterval, "ReconnectInterval", errors);
        if (options.WatchCapacity < 1)
        {
            errors.Add($"{P}WatchCapacity: must be at least 1 (was {options.WatchCapacity}).");
        }
    }

    private static void CheckPositive(TimeSpan value, string field, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{RedisStoreOptions.SectionName}:{field}: must be positive (was {value}).");
        }
    }
}
