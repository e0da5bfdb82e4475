using Microsoft.Extensions.Options;
using RaftBalancer.Node.Options;
using RaftBalancer.Node.Views;
using Yarp.ReverseProxy.Forwarder;

namespace RaftBalancer.Node.Proxy;

/// <summary>Makes each backend's <see cref="BackendTransformer"/> with this node's id and response header setting.</summary>
internal sealed class BackendTransformerFactory : ITransformerFactory
{
    private readonly NodeOptions _options;

    public BackendTransformerFactory(IOptions<NodeOptions> options)
    {
        _options = options.Value;
    }

    /// <inheritdoc />
    public HttpTransformer Create(string backendId) => new BackendTransformer(_options.Id, backendId, _options.BackendHeader);
}
