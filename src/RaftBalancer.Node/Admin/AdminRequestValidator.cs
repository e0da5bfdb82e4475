using System.Globalization;
using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Balancing;

namespace RaftBalancer.Node.Admin;

/// <summary>Checks admin requests before anything is proposed, collecting every error with the request field named.</summary>
internal static class AdminRequestValidator
{
    /// <summary>The longest metadata key.</summary>
    public const int MaxMetadataKeyLength = 128;

    /// <summary>The longest metadata value.</summary>
    public const int MaxMetadataValueLength = 1024;

    private const string AnyValidUrl = "http://placeholder";

    public static List<ValidationError> Backend(string? id, string? url, int weight, IReadOnlyDictionary<string, string> metadata)
    {
        var errors = new List<ValidationError>(BackendValidator.Validate(id, url, weight));
        if (metadata.Count > BackendLimits.MaxMetadataEntries)
        {
            errors.Add(new ValidationError("metadata", $"must have at most {BackendLimits.MaxMetadataEntries} entries (got {metadata.Count})."));
        }

        foreach (var (key, value) in metadata)
        {
            if (key.Length == 0 || key.Length > MaxMetadataKeyLength)
            {
                errors.Add(new ValidationError("metadata", $"keys must be 1 to {MaxMetadataKeyLength} characters (got '{Shorten(key)}')."));
            }

            if (value.Length > MaxMetadataValueLength)
            {
                errors.Add(new ValidationError("metadata[" + Shorten(key) + "]", $"must be at most {MaxMetadataValueLength} characters (got {value.Length.ToString(CultureInfo.InvariantCulture)})."));
            }
        }

        return errors;
    }

    public static List<ValidationError> Id(string? id) => [.. BackendValidator.Validate(id, AnyValidUrl, 1)];

    public static List<ValidationError> Weight(string? id, int weight) => [.. BackendValidator.Validate(id, AnyValidUrl, weight)];

    public static List<ValidationError> Policy(string? policy) => BalancingPolicyNames.IsKnown(policy)
        ? []
        : [new ValidationError("policy", $"'{policy}' is unknown; expected one of: {string.Join(", ", BalancingPolicyNames.All)}.")];

    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
