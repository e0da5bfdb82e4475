using Yarp.ReverseProxy.Forwarder;

namespace RaftBalancer.Node.Views;

/// <summary>Makes the forwarding transformer of a backend; the proxy provides it, so views need not know the proxy.</summary>
internal interface ITransformerFactory
{
    /// <summary>Creates the transformer for one backend.</summary>
    /// <param name="backendId">The backend's id.</param>
    /// <returns>A transformer the backend keeps for as long as its URL does not change.</returns>
    HttpTransformer Create(string backendId);
}
