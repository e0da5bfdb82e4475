namespace RaftBalancer.State.Tests.Raft;

/// <summary>A member that is there and never answers: it accepts TCP connections on an address and never reads or
/// writes, like a SIGSTOPped process or a frozen VM whose kernel still completes handshakes.</summary>
internal sealed class BlackHoleListener : IDisposable
{
    private readonly TcpListener _listener;
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    private BlackHoleListener(IPEndPoint endpoint)
    {
        _listener = new TcpListener(endpoint);
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    /// <summary>Gets how many connections it has swallowed so far.</summary>
    public int Accepted
    {
        get
        {
            lock (_accepted)
            {
                return _accepted.Count;
            }
        }
    }

    public static BlackHoleListener Start(string address) => new(IPEndPoint.Parse(address));

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _acceptLoop.ContinueWith(static _ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(5));
        lock (_accepted)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_accepted)
            {
                _accepted.Add(socket);
            }
        }
    }
}
