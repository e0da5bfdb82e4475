using Microsoft.Extensions.Options;
using RaftBalancer.Core.Balancing;
using RaftBalancer.Core.Breaking;
using RaftBalancer.Core.Health;
using RaftBalancer.Node.Admin;
using RaftBalancer.Node.Observability;
using RaftBalancer.Node.Options;
using RaftBalancer.Node.Probing;
using RaftBalancer.Node.Proxy;
using RaftBalancer.Node.Reporting;
using RaftBalancer.Node.Store;
using RaftBalancer.Node.Views;
using RaftBalancer.State;
using RaftBalancer.State.Local;
using RaftBalancer.State.Raft;
using RaftBalancer.State.Redis;

namespace RaftBalancer.Node.Hosting;

/// <summary>Composes a node: configuration, validation, Kestrel endpoints, the state store and the hosted services.</summary>
public static class NodeApp
{
    /// <summary>The prefix of environment variables that override the configuration file, e.g. <c>RAFTBALANCER_Node__ProxyUrl</c>.</summary>
    public const string EnvironmentPrefix = "RAFTBALANCER_";

    /// <summary>Builds a node from command-line arguments (<c>--config path</c>; any <c>--Section:Key value</c> overrides).</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="configure">Optional extra configuration sources (tests), applied last.</param>
    /// <returns>The application, not started (a Raft store is already started: it owns its own ports).</returns>
    /// <exception cref="StateStoreException">The Raft store cannot start (port in use, damaged data directory).</exception>
    /// <exception cref="NodeConfigurationException">The configuration is missing, malformed or invalid; the message names every bad field.</exception>
    public static Task<WebApplication> BuildAsync(string[] args, Action<IConfigurationBuilder>? configure = null) =>
        BuildAsync(args, composition: null, configure);

    /// <summary>Builds a node with what a test host adds (<see cref="NodeComposition"/>): link hooks for a Raft store, extra routes.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="composition">What the host adds; <see langword="null"/> builds exactly the production node.</param>
    /// <param name="configure">Optional extra configuration sources (tests), applied last.</param>
    /// <returns>The application, not started (a Raft store is already started: it owns its own ports).</returns>
    /// <exception cref="StateStoreException">The Raft store cannot start (port in use, damaged data directory).</exception>
    /// <exception cref="NodeConfigurationException">The configuration is missing, malformed or invalid; the message names every bad field.</exception>
    public static async Task<WebApplication> BuildAsync(string[] args, NodeComposition? composition, Action<IConfigurationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        LoadConfiguration(builder.Configuration, args, configure);

        var node = Bind<NodeOptions>(builder.Configuration, NodeOptions.SectionName);
        var health = Bind<HealthCheckOptions>(builder.Configuration, HealthCheckOptions.SectionName);
        var breaker = Bind<CircuitBreakerOptions>(builder.Configuration, CircuitBreakerOptions.SectionName);
        if (string.IsNullOrWhiteSpace(node.RaftUrl) && node.Members.FirstOrDefault(m => m.Id == node.Id) is { } self)
        {
            node.RaftUrl = self.RaftUrl;
        }

        // A relative data directory is relative to the configuration file, so a config works from any working directory.
        if (!string.IsNullOrWhiteSpace(node.DataDir) && !Path.IsPathRooted(node.DataDir) && builder.Configuration["config"] is { Length: > 0 } configPath)
        {
            node.DataDir = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, node.DataDir);
        }

        var admin = new AdminOptions();
        try
        {
            AdminApi.Bind(builder.Configuration, admin);
        }
        catch (InvalidOperationException ex)
        {
            throw new NodeConfigurationException(ex.Message + (ex.InnerException is null ? string.Empty : " " + ex.InnerException.Message), ex);
        }

        var errors = NodeOptionsValidator.Collect(node);
        errors.AddRange(AdminOptionsValidator.Collect(admin, node));
        errors.AddRange(health.Validate());
        errors.AddRange(breaker.Validate());
        errors.AddRange(ExposureCheck.Collect(node, builder.Configuration));
        if (errors.Count > 0)
        {
            throw new NodeConfigurationException(errors);
        }

        ConfigureLogging(builder.Logging, builder.Configuration);

        var proxyUri = new Uri(node.ProxyUrl);
        var adminUri = new Uri(node.AdminUrl);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ListenOn(proxyUri);

            // gRPC over cleartext needs HTTP/2 with prior knowledge: Http1AndHttp2 without TLS would serve HTTP/1.1 only.
            // The JSON endpoints (/-/status, /-/ready) stay on this port over HTTP/2: curl --http2-prior-knowledge.
            // With Admin:Tls (an https AdminUrl, checked above) it serves HTTPS, HTTP/1.1 and HTTP/2 by ALPN.
            kestrel.ListenOn(adminUri, listen =>
            {
                if (admin.Tls.IsConfigured)
                {
                    listen.UseAdminHttps();
                }
                else
                {
                    listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2;
                }
            });
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        AddServices(builder.Services, node, health, breaker, admin);
        if (node.StateStore == StateStoreKinds.Raft)
        {
            var raftOptions = RaftStoreFactory.Map(node, builder.Configuration);
            RaftStateStore raft;
            try
            {
                raft = await RaftStateStore.StartAsync(raftOptions, composition?.LinkHooks, LoggerFactory.Create(l => ConfigureLogging(l, builder.Configuration)));
            }
            catch (OptionsValidationException ex)
            {
                throw new NodeConfigurationException([.. ex.Failures]);
            }

            builder.Services.AddSingleton<IStateStore>(_ => raft);
            builder.Services.AddSingleton<IConsensusStatus>(new RaftConsensus(raft));
        }
        else if (node.StateStore == StateStoreKinds.Redis)
        {
            // Waits for Redis with a bounded retry; an unreachable Redis ends start-up with a message naming the address.
            RedisStateStore redis;
            try
            {
                redis = await RedisStateStore.StartAsync(RedisStoreFactory.Map(node, builder.Configuration), LoggerFactory.Create(l => ConfigureLogging(l, builder.Configuration)));
            }
            catch (OptionsValidationException ex)
            {
                throw new NodeConfigurationException([.. ex.Failures]);
            }

            builder.Services.AddSingleton<IStateStore>(_ => redis);
            builder.Services.AddSingleton<IConsensusStatus>(new RedisConsensus(redis));
        }
        else
        {
            builder.Services.AddSingleton<IStateStore>(sp => new LocalStateStore(new LocalStoreOptions { NodeId = node.Id }, sp.GetRequiredService<TimeProvider>()));
            builder.Services.AddSingleton<IConsensusStatus>(new StandaloneConsensus(node.Id));
        }

        builder.AddObservability(node, admin);
        var app = builder.Build();
        var adminPort = adminUri.Port;
        var proxy = app.Services.GetRequiredService<ProxyHandler>();
        var adminEndpoints = app.Services.GetRequiredService<AdminEndpoints>();
        composition?.MapRoutes?.Invoke(app, adminPort);
        app.MapOps();
        // The proxy port branches off first, so client traffic never goes through endpoint routing.
        app.MapWhen(context => context.Connection.LocalPort != adminPort, proxyApp => proxyApp.Run(proxy.InvokeAsync));
        app.UseRouting();
        app.MapAdminApi();
        app.UseEndpoints(_ => { });
        app.Run(adminEndpoints.InvokeAsync);

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RaftBalancer.Node");
        app.Lifetime.ApplicationStarted.Register(() => Log.NodeStarted(logger, node.Id, node.ProxyUrl, node.AdminUrl, node.StateStore, node.Policy));
        app.Lifetime.ApplicationStopping.Register(() => Log.NodeStopping(logger, node.Id));
        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, ConfigurationManager configuration)
    {
        logging.AddConfiguration(configuration.GetSection("Logging"));
        logging.AddFilter("Yarp", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
    }

    private static void LoadConfiguration(ConfigurationManager configuration, string[] args, Action<IConfigurationBuilder>? configure)
    {
        var path = configuration["config"];
        if (!string.IsNullOrWhiteSpace(path))
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                throw new NodeConfigurationException("--config: file '" + full + "' does not exist.");
            }

            try
            {
                configuration.AddJsonFile(full, optional: false, reloadOnChange: false);
            }
            catch (InvalidDataException ex)
            {
                throw new NodeConfigurationException("--config: '" + full + "' is not valid JSON: " + (ex.InnerException?.Message ?? ex.Message), ex);
            }
        }

        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddCommandLine(args);
        configure?.Invoke(configuration);
    }

    private static T Bind<T>(ConfigurationManager configuration, string section)
        where T : new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key: "Failed to convert configuration value at 'HealthCheck:Interval' to type ...".
            throw new NodeConfigurationException(ex.Message + (ex.InnerException is null ? string.Empty : " " + ex.InnerException.Message), ex);
        }

        return options;
    }

    private static void AddServices(IServiceCollection services, NodeOptions node, HealthCheckOptions health, CircuitBreakerOptions breaker, AdminOptions admin)
    {
        // Bound and validated once, in BuildAsync, before anything starts: the services get those very instances.
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(node));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(health));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(breaker));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new Random());
        services.AddSingleton(sp => new ConnectionTracker(sp.GetRequiredService<TimeProvider>(), node.LeakTimeout));

        services.AddSingleton<LocalHealthRegistry>();
        services.AddSingleton<ClusterStateMirror>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterStateMirror>());
        services.AddSingleton<ITransformerFactory, BackendTransformerFactory>();
        services.AddSingleton<ViewPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<ViewPublisher>());
        services.AddSingleton(_ => new ProbeClient(node.Id, node.ConnectTimeout));
        services.AddHostedService<HealthProbeService>();
        services.AddHostedService<LoadReporter>();
        services.AddHostedService<SeedService>();

        services.AddHttpForwarder();
        services.AddSingleton(_ => new BackendHttpClient(node.ConnectTimeout));
        services.AddSingleton(_ => new RetryBudget(node.RetryBudgetRatio, node.MinRetryConcurrency));
        services.AddSingleton<ProxyHandler>();
        services.AddSingleton<AdminEndpoints>();
        services.AddAdminApi(admin);
    }
}
