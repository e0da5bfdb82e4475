using RaftBalancer.Node.Options;
using RaftBalancer.State.Redis;

namespace RaftBalancer.Node.Hosting;

/// <summary>Maps the node's options onto <see cref="RedisStoreOptions"/> (connection and tuning from the <c>State:Redis</c> section, the id from <c>Node:Id</c>).</summary>
internal static class RedisStoreFactory
{
    public static RedisStoreOptions Map(NodeOptions node, ConfigurationManager configuration)
    {
        var options = new RedisStoreOptions();
        configuration.GetSection(RedisStoreOptions.SectionName).Bind(options);
        options.NodeId = node.Id;
        return options;
    }
}
