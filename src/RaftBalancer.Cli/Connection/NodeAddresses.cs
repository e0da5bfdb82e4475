namespace RaftBalancer.Cli.Connection;

/// <summary>Parses the <c>--node</c> list: comma-separated admin addresses, tried in order.</summary>
internal static class NodeAddresses
{
    /// <summary>The nodes tried when neither <c>--node</c> nor the environment names any: the local 3-node cluster's admin ports.</summary>
    public const string Default = "http://127.0.0.1:7101,http://127.0.0.1:7102,http://127.0.0.1:7103";

    /// <summary>Parses a comma-separated list of admin addresses.</summary>
    /// <param name="text">For example <c>http://10.0.0.1:7101,10.0.0.2:7101</c>; an address without a scheme gets <c>http://</c>.</param>
    /// <param name="addresses">The addresses, in order, without duplicates.</param>
    /// <param name="error">Why the text was rejected.</param>
    /// <returns>True when every address is a valid http or https URL.</returns>
    public static bool TryParse(string? text, out IReadOnlyList<Uri> addresses, out string error)
    {
        addresses = [];
        var parsed = new List<Uri>();
        var parts = (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            error = "no node address given; expected a comma-separated list such as http://127.0.0.1:7101.";
            return false;
        }

        foreach (var part in parts)
        {
            var candidate = part.Contains("://", StringComparison.Ordinal) ? part : "http://" + part;
            if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || string.IsNullOrEmpty(uri.Host))
            {
                error = $"'{part}' is not a node address; expected http(s)://host:port.";
                return false;
            }

            if (!parsed.Contains(uri))
            {
                parsed.Add(uri);
            }
        }

        addresses = parsed;
        error = string.Empty;
        return true;
    }
}
