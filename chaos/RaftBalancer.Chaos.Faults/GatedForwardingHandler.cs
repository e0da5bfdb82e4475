namespace RaftBalancer.Chaos.Faults;

/// <summary>Passes this node's write-forwarding and progress requests through the per-peer <see cref="ChaosFaults"/> gate.</summary>
internal sealed class GatedForwardingHandler : DelegatingHandler
{
    private readonly ChaosFaults _faults;
    private readonly IReadOnlyDictionary<string, string> _peersByAuthority;

    public GatedForwardingHandler(HttpMessageHandler inner, ChaosFaults faults, IReadOnlyDictionary<string, string> peersByAuthority)
        : base(inner)
    {
        _faults = faults;
        _peersByAuthority = peersByAuthority;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && _peersByAuthority.TryGetValue(uri.Authority, out var peer))
        {
            try
            {
                await _faults.GateAsync(peer, cancellationToken);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                throw new HttpRequestException("chaos: link to " + peer + " refused", e);
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
