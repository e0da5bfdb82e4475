using System.Security.Authentication;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace RaftBalancer.Node.Admin;

/// <summary>Registers and maps the gRPC admin API, the gRPC health service and server reflection on the admin port.</summary>
internal static class AdminApi
{
    /// <summary>The largest admin request accepted; anything bigger is RESOURCE_EXHAUSTED.</summary>
    public const int MaxRequestBytes = 256 * 1024;

    /// <summary>Binds the <c>Admin</c> section; <c>RAFTBALANCER_ADMIN_TOKEN</c> wins over the file (see <see cref="AdminOptions"/>).</summary>
    /// <param name="configuration">The node's configuration.</param>
    /// <param name="options">The bound options, not yet validated (<see cref="AdminOptionsValidator"/>).</param>
    public static void Bind(IConfiguration configuration, AdminOptions options)
    {
        configuration.GetSection(AdminOptions.SectionName).Bind(options);
        if (configuration[AdminOptions.TokenConfigurationKey] is { Length: > 0 } token)
        {
            options.Token = token;
        }
    }

    /// <summary>Registers the admin API with options already bound and validated.</summary>
    public static IServiceCollection AddAdminApi(this IServiceCollection services, AdminOptions admin)
    {
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(admin));
        services.AddSingleton(sp => new AdminTokens(admin, sp.GetRequiredService<ILogger<AdminTokens>>()));
        if (admin.Tls.IsConfigured)
        {
            services.AddSingleton(sp => new AdminCertificate(admin.Tls, sp.GetRequiredService<ILogger<AdminCertificate>>()));
        }

        services.AddSingleton<AdminTracingInterceptor>();
        services.AddSingleton<AdminAuthInterceptor>();
        services.AddSingleton<AdminService>();
        services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = MaxRequestBytes;
            options.EnableDetailedErrors = false;
        }).AddServiceOptions<AdminService>(options =>
        {
            // In this order: a refused call is traced too.
            options.Interceptors.Add<AdminTracingInterceptor>();
            options.Interceptors.Add<AdminAuthInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<ViewHealthCheck>("routing-view");
        return services;
    }

    /// <summary>Serves HTTPS on a listener with the <c>Admin:Tls</c> certificate (reloaded when its files change), HTTP/1.1 and HTTP/2 by ALPN.</summary>
    /// <param name="listen">The admin or ops listener; <see cref="AdminCertificate"/> must be registered.</param>
    public static void UseAdminHttps(this ListenOptions listen)
    {
        var certificate = listen.ApplicationServices.GetRequiredService<AdminCertificate>();
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ServerCertificateSelector = (_, _) => certificate.Current,
        });
    }

    public static void MapAdminApi(this WebApplication app)
    {
        app.MapGrpcService<AdminService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
    }
}
