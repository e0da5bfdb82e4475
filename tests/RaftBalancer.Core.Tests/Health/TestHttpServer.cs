using System.Collections.Concurrent;
using System.Text;

namespace RaftBalancer.Core.Tests.Health;

/// <summary>
/// A tiny HTTP/1.1 responder on 127.0.0.1 and an OS-assigned port (no port race): reads one request per
/// connection, records its target, waits the configured delay (real I/O time), answers with an empty body and
/// closes the connection.
/// </summary>
internal sealed class TestHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Func<string, TestHttpResponse> _respond;
    private readonly Task _acceptLoop;

    public TestHttpServer(Func<string, TestHttpResponse> respond)
    {
        _respond = respond;
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = AcceptLoopAsync();
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<string> RequestTargets { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Quietly(_acceptLoop);
        foreach (var connection in _connections)
        {
            await Quietly(connection);
        }

        _listener.Dispose();
        _stop.Dispose();
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Shutting down.
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _connections.Add(HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[8192];
            var received = 0;
            string head;
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(received), _stop.Token);
                if (read == 0)
                {
                    return;
                }

                received += read;
                head = Encoding.ASCII.GetString(buffer, 0, received);
                if (head.Contains("\r\n\r\n", StringComparison.Ordinal) || received == buffer.Length)
                {
                    break;
                }
            }

            // "GET /-/ready HTTP/1.1"
            var target = head.Split(' ', 3)[1];
            RequestTargets.Enqueue(target);
            var response = _respond(target);
            if (response.Delay > TimeSpan.Zero)
            {
                await Task.Delay(response.Delay, _stop.Token);
            }

            var text = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {response.Status} Test\r\n")
                .Append("Content-Length: 0\r\nConnection: close\r\n");
            if (response.RetryAfter is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"Retry-After: {response.RetryAfter}\r\n");
            }

            text.Append("\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()), _stop.Token);
        }
    }
}
