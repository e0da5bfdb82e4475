using System.CommandLine;
using System.CommandLine.Parsing;
using RaftBalancer.Cli.Connection;

namespace RaftBalancer.Cli.Commands;

/// <summary>The options every rbctl command accepts.</summary>
internal sealed class GlobalOptions
{
    /// <summary>The per-attempt timeout when <c>--timeout</c> is not given.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Creates the options.</summary>
    public GlobalOptions()
    {
        Node = new Option<string?>("--node", "-n")
        {
            Description = $"Admin address(es) of cluster nodes, comma-separated, tried in order until one answers. Default: ${CliConsole.NodesVariable}, else {NodeAddresses.Default}.",
            HelpName = "url[,url...]",
            Recursive = true,
        };
        Node.Validators.Add(ValidateNodes);

        Token = new Option<string?>("--token")
        {
            Description = $"Admin token, sent as 'authorization: Bearer <token>'. Default: ${CliConsole.TokenVariable}.",
            Recursive = true,
        };

        Ca = new Option<string?>("--ca")
        {
            Description = $"CA certificate file (PEM) to trust for https node addresses, instead of the system's trust store, e.g. certs/ca.crt from 'rbctl certs init'. Default: ${CliConsole.CaVariable}.",
            HelpName = "file",
            Recursive = true,
        };

        Output = new Option<string>("--output", "-o")
        {
            Description = "Output format.",
            DefaultValueFactory = _ => "table",
            Recursive = true,
        };
        Output.AcceptOnlyFromAmong("table", "json");

        Timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "Deadline of one attempt against one node, e.g. 500ms, 10s, 1m.",
            HelpName = "duration",
            DefaultValueFactory = _ => DefaultTimeout,
            CustomParser = ParseTimeout,
            Recursive = true,
        };
    }

    /// <summary><c>--node</c>: comma-separated admin addresses.</summary>
    public Option<string?> Node { get; }

    /// <summary><c>--token</c>: the admin token.</summary>
    public Option<string?> Token { get; }

    /// <summary><c>--ca</c>: the CA file trusted for https nodes.</summary>
    public Option<string?> Ca { get; }

    /// <summary><c>--output</c>: table or json.</summary>
    public Option<string> Output { get; }

    /// <summary><c>--timeout</c>: the per-attempt deadline.</summary>
    public Option<TimeSpan> Timeout { get; }

    /// <summary>Adds every option to the root command, recursively to its subcommands.</summary>
    /// <param name="root">The root command.</param>
    public void AddTo(Command root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Add(Node);
        root.Add(Token);
        root.Add(Ca);
        root.Add(Output);
        root.Add(Timeout);
    }

    /// <summary>Reads the output format.</summary>
    /// <param name="parseResult">A parse result without errors.</param>
    /// <returns>The format.</returns>
    public OutputFormat GetFormat(ParseResult parseResult) =>
        parseResult.GetValue(Output) == "json" ? OutputFormat.Json : OutputFormat.Table;

    /// <summary>Resolves the connection settings from the options and the environment.</summary>
    /// <param name="parseResult">A parse result without errors.</param>
    /// <param name="console">Supplies the environment.</param>
    /// <param name="settings">The settings.</param>
    /// <param name="error">Why the environment's node list was rejected.</param>
    /// <returns>False when <c>$RAFTBALANCER_NODES</c> holds an invalid list, or the CA file (<c>--ca</c>, <c>$RAFTBALANCER_CA</c>) cannot be loaded.</returns>
    public bool TryResolve(ParseResult parseResult, CliConsole console, out ConnectionSettings settings, out string error)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(console);
        settings = null!;

        var nodesText = parseResult.GetValue(Node);
        var source = "--node";
        if (nodesText is null)
        {
            nodesText = console.GetEnvironmentVariable(CliConsole.NodesVariable);
            source = "$" + CliConsole.NodesVariable;
            if (string.IsNullOrWhiteSpace(nodesText))
            {
                nodesText = NodeAddresses.Default;
                source = "the default node list";
            }
        }

        if (!NodeAddresses.TryParse(nodesText, out var nodes, out error))
        {
            error = $"{source}: {error}";
            return false;
        }

        var token = parseResult.GetValue(Token);
        if (string.IsNullOrEmpty(token))
        {
            token = console.GetEnvironmentVariable(CliConsole.TokenVariable);
        }

        CaTrust? trust = null;
        var caFile = parseResult.GetValue(Ca);
        var caSource = "--ca";
        if (string.IsNullOrEmpty(caFile))
        {
            caFile = console.GetEnvironmentVariable(CliConsole.CaVariable);
            caSource = "$" + CliConsole.CaVariable;
        }

        if (!string.IsNullOrEmpty(caFile) && !CaTrust.TryLoad(caFile, out trust, out error))
        {
            error = $"{caSource}: {error}";
            return false;
        }

        settings = new ConnectionSettings(nodes, string.IsNullOrEmpty(token) ? null : token, parseResult.GetValue(Timeout), trust);
        return true;
    }

    private static void ValidateNodes(OptionResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
        if (!NodeAddresses.TryParse(text, out _, out var error))
        {
            result.AddError($"--node: {error}");
        }
    }

    private static TimeSpan ParseTimeout(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
        if (DurationParser.TryParse(text, out var timeout))
        {
            return timeout;
        }

        result.AddError($"--timeout: '{text}' is not a positive duration; use e.g. 500ms, 10s or 1m.");
        return DefaultTimeout;
    }
}
