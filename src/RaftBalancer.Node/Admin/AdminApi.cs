using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;

namespace RaftBalancer.Node.Admin;

/// <summary>Registers and maps the gRPC admin API, the gRPC health service and server reflection on the admin port.</summary>
internal static class AdminApi
{
    /// <summary>The largest admin request accepted; anything bigger is RESOURCE_EXHAUSTED.</summary>
    public const int MaxRequestBytes = 256 * 1024;

    public static IServiceCollection AddAdminApi(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>()
            .BindConfiguration(AdminOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                // RAFTBALANCER_ADMIN_TOKEN wins over the file (see AdminOptions).
                if (configuration[AdminOptions.TokenConfigurationKey] is { Length: > 0 } token)
                {
                    options.Token = token;
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();

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

    public static void MapAdminApi(this WebApplication app)
    {
        app.MapGrpcService<AdminService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
    }
}
