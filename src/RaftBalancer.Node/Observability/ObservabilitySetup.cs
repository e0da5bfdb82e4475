using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RaftBalancer.Node.Admin;
using RaftBalancer.Node.Diagnostics;
using RaftBalancer.Node.Options;

namespace RaftBalancer.Node.Observability;

/// <summary>Adds metrics, traces, the access log and the ops listener to a node (see docs/ARCHITECTURE.md, "Observability").</summary>
internal static class ObservabilitySetup
{
    /// <summary>Binds and validates the <c>Observability</c> section and <c>Node:OpsUrl</c>, and registers what they turn on.</summary>
    /// <param name="builder">The node's builder, its state store already registered.</param>
    /// <param name="node">The node's validated options.</param>
    /// <param name="admin">The node's validated admin options (<c>Admin:Tls</c> also serves the ops listener).</param>
    /// <exception cref="NodeConfigurationException">A bad field, named.</exception>
    public static void AddObservability(this WebApplicationBuilder builder, NodeOptions node, AdminOptions admin)
    {
        var options = new ObservabilityOptions();
        try
        {
            builder.Configuration.GetSection(ObservabilityOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new NodeConfigurationException(ex.Message + (ex.InnerException is null ? string.Empty : " " + ex.InnerException.Message), ex);
        }

        var errors = options.Validate();
        Uri? opsUri = null;
        if (!string.IsNullOrWhiteSpace(node.OpsUrl))
        {
            if (!Uri.TryCreate(node.OpsUrl, UriKind.Absolute, out opsUri) || opsUri.Scheme is not ("http" or "https"))
            {
                errors.Add("Node:OpsUrl must be an absolute http or https URL (was '" + node.OpsUrl + "').");
                opsUri = null;
            }
            else if (opsUri.Port == new Uri(node.ProxyUrl).Port || opsUri.Port == new Uri(node.AdminUrl).Port)
            {
                errors.Add("Node:OpsUrl must use its own port (" + opsUri.Port + " is the proxy or admin port).");
            }
            else if (opsUri.Scheme == "https" && string.IsNullOrEmpty(options.CertificatePath) && !admin.Tls.IsConfigured)
            {
                errors.Add("Node:OpsUrl is https but neither Admin:Tls (CertificateFile and KeyFile) nor Observability:CertificatePath is set.");
            }
            else if (opsUri.Scheme == "http" && admin.Tls.IsConfigured)
            {
                errors.Add("Node:OpsUrl must be https when Admin:Tls is set (was '" + node.OpsUrl + "'): the ops listener carries the same tokens.");
            }
        }

        if (errors.Count > 0)
        {
            throw new NodeConfigurationException(errors);
        }

        var services = builder.Services;
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddSingleton<NodeTelemetry>();
        if (options.AccessLog.Enabled)
        {
            services.AddSingleton(sp => new AccessLogQueue(options.AccessLog.Capacity, sp.GetRequiredService<NodeTelemetry>()));
            services.AddHostedService(sp => new AccessLogWriter(sp.GetRequiredService<AccessLogQueue>(), options.AccessLog.Path));
        }

        var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("raftbalancer", serviceInstanceId: node.Id));
        if (opsUri is not null)
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenOn(opsUri, listen =>
            {
                // Cleartext: HTTP/1.1 (Prometheus, browsers). With a certificate: HTTP/1.1 and HTTP/2 negotiated by ALPN;
                // Observability:CertificatePath (PFX) when set, else the admin listener's Admin:Tls (reloaded when it changes).
                listen.Protocols = HttpProtocols.Http1;
                if (opsUri.Scheme == "https" && !string.IsNullOrEmpty(options.CertificatePath))
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(options.CertificatePath, string.IsNullOrEmpty(options.CertificatePassword) ? null : options.CertificatePassword);
                }
                else if (opsUri.Scheme == "https")
                {
                    listen.UseAdminHttps();
                }
            }));
            services.AddSingleton<ServedRequests>();
            services.AddSingleton<ClusterSampler>();
            services.AddHostedService(sp => sp.GetRequiredService<ClusterSampler>());
            services.AddSingleton<NodeGauges>();
            services.AddSingleton<OpsEndpoints>();
            if (options.Metrics)
            {
                telemetry.WithMetrics(metrics => metrics
                    .AddMeter(NodeTelemetry.MeterName)
                    .AddRuntimeInstrumentation()
                    .AddProcessInstrumentation()
                    .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
            }
        }

        if (!string.IsNullOrEmpty(options.OtlpEndpoint))
        {
            var opsPort = opsUri?.Port ?? -1;
            telemetry.WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                .AddSource(NodeTelemetry.ActivitySourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => context.Connection.LocalPort != opsPort)
                .AddOtlpExporter(o => o.Endpoint = new Uri(options.OtlpEndpoint)));
        }
    }

    /// <summary>Branches the ops listener's requests off (before the proxy branch): read check, <c>/metrics</c>, dashboard, JSON.</summary>
    /// <param name="app">The built node.</param>
    public static void MapOps(this WebApplication app)
    {
        var node = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<NodeOptions>>().Value;
        if (string.IsNullOrWhiteSpace(node.OpsUrl))
        {
            return;
        }

        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ObservabilityOptions>>().Value;
        var opsPort = new Uri(node.OpsUrl).Port;
        _ = app.Services.GetRequiredService<NodeGauges>();
        var ops = app.Services.GetRequiredService<OpsEndpoints>();
        app.MapWhen(context => context.Connection.LocalPort == opsPort, branch =>
        {
            branch.Use(ops.AuthorizeAsync);
            if (options.Metrics)
            {
                branch.UseOpenTelemetryPrometheusScrapingEndpoint(
                    meterProvider: null,
                    predicate: context => context.Request.Path == "/metrics",
                    path: null,
                    configureBranchedPipeline: null,
                    optionsName: null);
            }

            branch.Run(ops.InvokeAsync);
        });
    }
}
