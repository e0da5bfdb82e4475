using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using RaftBalancer.Node.Admin;
using RaftBalancer.Node.Options;

namespace RaftBalancer.Node.Tests.Admin;

/// <summary>Who may read and write, decided before the service runs: loopback, scopes and unknown tokens.</summary>
[Trait("Category", "Unit")]
public sealed class AdminAuthInterceptorTests
{
    private const string ReadToken = "read-token-0123456789abcdef";
    private const string AdminToken = "admin-token-0123456789abcdef";
    private const string List = "/raftbalancer.v1.Admin/ListBackends";
    private const string Drain = "/raftbalancer.v1.Admin/DrainBackend";
    private static readonly IPAddress Remote = IPAddress.Parse("10.1.2.3");

    [Fact]
    public void Read_LoopbackAdminUrlAndCaller_NeedsNoToken()
    {
        Assert.Equal(StatusCode.OK, Check("http://127.0.0.1:7101", IPAddress.Loopback, List, bearer: null));
        Assert.Equal(StatusCode.OK, Check("http://localhost:7101", IPAddress.IPv6Loopback, List, bearer: null));
    }

    [Fact]
    public void Read_AdminUrlOffLoopback_NeedsAToken_EvenFromLoopback()
    {
        Assert.Equal(StatusCode.Unauthenticated, Check("http://0.0.0.0:7101", IPAddress.Loopback, List, bearer: null));
        Assert.Equal(StatusCode.Unauthenticated, Check("http://10.0.0.1:7101", Remote, List, bearer: null));
        Assert.Equal(StatusCode.OK, Check("http://0.0.0.0:7101", Remote, List, ReadToken));
        Assert.Equal(StatusCode.OK, Check("http://0.0.0.0:7101", Remote, List, AdminToken));
    }

    [Fact]
    public void Read_CallerOffLoopback_NeedsAToken()
    {
        // Whatever the listener's address says, a caller from elsewhere presents a token.
        Assert.Equal(StatusCode.Unauthenticated, Check("http://127.0.0.1:7101", Remote, List, bearer: null));
    }

    [Fact]
    public void Mutation_ReadScope_PermissionDenied_AdminScope_Allowed_Unknown_Unauthenticated()
    {
        Assert.Equal(StatusCode.PermissionDenied, Check("http://127.0.0.1:7101", IPAddress.Loopback, Drain, ReadToken));
        Assert.Equal(StatusCode.OK, Check("http://127.0.0.1:7101", IPAddress.Loopback, Drain, AdminToken));
        Assert.Equal(StatusCode.OK, Check("http://127.0.0.1:7101", IPAddress.Loopback, Drain, "inline-admin-token-0123456789"));
        Assert.Equal(StatusCode.Unauthenticated, Check("http://127.0.0.1:7101", IPAddress.Loopback, Drain, "nobody-knows-this-token-0123"));
        Assert.Equal(StatusCode.Unauthenticated, Check("http://127.0.0.1:7101", IPAddress.Loopback, Drain, bearer: null));

        // An unknown method counts as a mutation (fail-closed).
        Assert.Equal(StatusCode.PermissionDenied, Check("http://127.0.0.1:7101", IPAddress.Loopback, "/raftbalancer.v1.Admin/SomethingNew", ReadToken));
    }

    private static StatusCode Check(string adminUrl, IPAddress remote, string method, string? bearer)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "read " + ReadToken + "\nadmin " + AdminToken + "\n");
            var admin = new AdminOptions { Token = "inline-admin-token-0123456789", TokenFile = file };
            var interceptor = new AdminAuthInterceptor(
                new AdminTokens(admin),
                Microsoft.Extensions.Options.Options.Create(admin),
                Microsoft.Extensions.Options.Options.Create(new NodeOptions { AdminUrl = adminUrl }),
                NullLogger<AdminAuthInterceptor>.Instance);
            var http = new DefaultHttpContext();
            http.Connection.RemoteIpAddress = remote;
            var headers = new Metadata();
            if (bearer is not null)
            {
                headers.Add("authorization", "Bearer " + bearer);
            }

            try
            {
                interceptor.Authorize(new FakeCallContext(method, headers, http));
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A call context carrying an <see cref="HttpContext"/> the way Grpc.AspNetCore finds it outside its own host (<c>__HttpContext</c>).</summary>
    private sealed class FakeCallContext : ServerCallContext
    {
        private readonly string _method;
        private readonly Metadata _headers;

        public FakeCallContext(string method, Metadata headers, HttpContext http)
        {
            _method = method;
            _headers = headers;
            UserState["__HttpContext"] = http;
        }

        protected override string MethodCore => _method;

        protected override string HostCore => "localhost";

        protected override string PeerCore => "ipv4:10.1.2.3:5000";

        protected override DateTime DeadlineCore => DateTime.MaxValue;

        protected override Metadata RequestHeadersCore => _headers;

        protected override CancellationToken CancellationTokenCore => CancellationToken.None;

        protected override Metadata ResponseTrailersCore { get; } = [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore => new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
