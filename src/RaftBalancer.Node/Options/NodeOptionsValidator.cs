using System.Globalization;
using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Balancing;

namespace RaftBalancer.Node.Options;

/// <summary>Checks <see cref="NodeOptions"/>, collecting every error with the configuration field named.</summary>
/// <remarks>Run once, by <c>NodeApp.BuildAsync</c>, before the state store or any service starts.</remarks>
internal static class NodeOptionsValidator
{
    /// <summary>Returns one message per problem, each starting with the field, e.g. <c>Node:Policy</c>.</summary>
    /// <param name="options">The options to check.</param>
    /// <returns>The errors; empty when valid.</returns>
    public static List<string> Collect(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string S = NodeOptions.SectionName + ":";

        if (string.IsNullOrWhiteSpace(options.Id))
        {
            errors.Add(S + "Id is required.");
        }
        else if (!BackendValidator.Validate(options.Id, "http://x", 1).All(e => e.Field != "id"))
        {
            errors.Add(S + "Id '" + options.Id + "' must be 1 to 64 characters of letters, digits, '.', '_' or '-'.");
        }

        var stateStore = options.StateStore;
        if (!StateStoreKinds.IsKnown(stateStore))
        {
            errors.Add(S + "StateStore '" + stateStore + "' is unknown; expected raft, redis or local.");
        }

        ValidateListenUrl(errors, S + "ProxyUrl", options.ProxyUrl, required: true);
        ValidateListenUrl(errors, S + "AdminUrl", options.AdminUrl, required: true, httpsAllowed: true);
        var isRaft = stateStore == StateStoreKinds.Raft;
        ValidateListenUrl(errors, S + "RaftUrl", options.RaftUrl, required: false);
        if (isRaft && !string.IsNullOrWhiteSpace(options.RaftUrl)
            && options.Members.FirstOrDefault(m => m.Id == options.Id) is { } self && !string.IsNullOrWhiteSpace(self.RaftUrl)
            && !string.Equals(self.RaftUrl.TrimEnd('/'), options.RaftUrl.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(S + "RaftUrl '" + options.RaftUrl + "' differs from this node's entry in Node:Members ('" + self.RaftUrl + "').");
        }
        if (TryPort(options.ProxyUrl, out var proxyPort) && TryPort(options.AdminUrl, out var adminPort) && proxyPort == adminPort && proxyPort != 0)
        {
            errors.Add(S + "AdminUrl must use a different port from Node:ProxyUrl (both " + proxyPort.ToString(CultureInfo.InvariantCulture) + ").");
        }

        if (isRaft && string.IsNullOrWhiteSpace(options.DataDir))
        {
            errors.Add(S + "DataDir is required when Node:StateStore is raft.");
        }

        if (!BalancingPolicyNames.IsKnown(options.Policy))
        {
            errors.Add(S + "Policy '" + options.Policy + "' is unknown; expected one of: " + string.Join(", ", BalancingPolicyNames.All) + ".");
        }

        ValidateMembers(errors, options, isRaft);

        RequirePositive(errors, S + "LoadReportInterval", options.LoadReportInterval);
        RequirePositive(errors, S + "LoadReportTtl", options.LoadReportTtl);
        if (options.LoadReportTtl is { } loadTtl && options.LoadReportInterval > TimeSpan.Zero && loadTtl <= options.LoadReportInterval)
        {
            errors.Add(S + "LoadReportTtl must be longer than Node:LoadReportInterval.");
        }

        RequirePositive(errors, S + "HealthReportTtl", options.HealthReportTtl);
        RequirePositive(errors, S + "HealthReportDebounce", options.HealthReportDebounce);
        RequirePositive(errors, S + "LeakTimeout", options.LeakTimeout);
        RequirePositive(errors, S + "NoBackendRetryAfter", options.NoBackendRetryAfter);
        RequirePositive(errors, S + "ConnectTimeout", options.ConnectTimeout);
        RequirePositive(errors, S + "ActivityTimeout", options.ActivityTimeout);
        if (double.IsNaN(options.RetryBudgetRatio) || options.RetryBudgetRatio < 0 || options.RetryBudgetRatio > 1)
        {
            errors.Add(S + "RetryBudgetRatio must be between 0 and 1 (got " + options.RetryBudgetRatio.ToString(CultureInfo.InvariantCulture) + ").");
        }

        if (options.MinRetryConcurrency < 0)
        {
            errors.Add(S + "MinRetryConcurrency must not be negative (got " + options.MinRetryConcurrency.ToString(CultureInfo.InvariantCulture) + ").");
        }

        if (!string.IsNullOrEmpty(options.BackendHeader) && !options.BackendHeader.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors.Add(S + "BackendHeader '" + options.BackendHeader + "' is not a valid header name.");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Backends.Count; i++)
        {
            var backend = options.Backends[i];
            var prefix = S + "Backends[" + i.ToString(CultureInfo.InvariantCulture) + "]:";
            foreach (var error in BackendValidator.Validate(backend.Id, backend.Url, backend.Weight))
            {
                errors.Add(prefix + char.ToUpperInvariant(error.Field[0]) + error.Field[1..] + " " + error.Message);
            }

            if (!string.IsNullOrEmpty(backend.Id) && !seen.TryAdd(backend.Id, i))
            {
                errors.Add(prefix + "Id '" + backend.Id + "' is a duplicate of Node:Backends[" + seen[backend.Id].ToString(CultureInfo.InvariantCulture) + "].");
            }
        }

        return errors;
    }

    /// <summary>Parses a listen URL's port.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="port">The port.</param>
    /// <returns>True when the URL is absolute http with an explicit port.</returns>
    public static bool TryPort(string? url, out int port)
    {
        port = 0;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            return false;
        }

        port = uri.Port;
        return true;
    }

    private static void ValidateMembers(List<string> errors, NodeOptions options, bool isRaft)
    {
        const string S = NodeOptions.SectionName + ":";
        if (isRaft && options.Members.Count == 0)
        {
            errors.Add(S + "Members is required when Node:StateStore is raft (list every node, this one included).");
            return;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Members.Count; i++)
        {
            var member = options.Members[i];
            var prefix = S + "Members[" + i.ToString(CultureInfo.InvariantCulture) + "]:";
            if (string.IsNullOrWhiteSpace(member.Id))
            {
                errors.Add(prefix + "Id is required.");
            }
            else if (!ids.Add(member.Id))
            {
                errors.Add(prefix + "Id '" + member.Id + "' is listed twice.");
            }

            if (isRaft)
            {
                ValidateListenUrl(errors, prefix + "RaftUrl", member.RaftUrl, required: true);
                ValidateListenUrl(errors, prefix + "ForwardUrl", member.ForwardUrl, required: false);
            }

            ValidateListenUrl(errors, prefix + "AdminUrl", member.AdminUrl, required: false, httpsAllowed: true);
        }

        if (options.Members.Count > 0 && !string.IsNullOrWhiteSpace(options.Id) && !ids.Contains(options.Id))
        {
            errors.Add(S + "Id '" + options.Id + "' is missing from Node:Members (members: " + string.Join(", ", ids) + ").");
        }
    }

    private static void ValidateListenUrl(List<string> errors, string field, string? url, bool required, bool httpsAllowed = false)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            if (required)
            {
                errors.Add(field + " is required (e.g. http://127.0.0.1:7001).");
            }

            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttp || (httpsAllowed && uri.Scheme == Uri.UriSchemeHttps))
            || string.IsNullOrEmpty(uri.Host))
        {
            errors.Add(field + " '" + url + "' must be an absolute " + (httpsAllowed ? "http or https" : "http") + " URL with a host and port (e.g. http://127.0.0.1:7001).");
            return;
        }

        if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            errors.Add(field + " '" + url + "' must not carry a path or query.");
        }
    }

    private static void RequirePositive(List<string> errors, string field, TimeSpan? value)
    {
        if (value is { } v && v <= TimeSpan.Zero)
        {
            errors.Add(field + " must be greater than zero (got " + v.ToString("c", CultureInfo.InvariantCulture) + ").");
        }
    }
}
