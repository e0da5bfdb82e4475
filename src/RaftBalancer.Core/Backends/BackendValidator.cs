namespace RaftBalancer.Core.Backends;

/// <summary>Validates backend fields and sets of backends, collecting every error with its field named.</summary>
public static class BackendValidator
{
    /// <summary>Validates the fields of one backend.</summary>
    /// <param name="id">The backend id: 1–64 characters of letters, digits, '.', '_' or '-'.</param>
    /// <param name="url">An absolute http or https URL with a host and no fragment.</param>
    /// <param name="weight">0 to <see cref="BackendLimits.MaxWeight"/>; 0 takes no traffic.</param>
    /// <param name="fieldPrefix">Prefix for field names, for example <c>backends[2].</c>.</param>
    /// <returns>The errors found; empty when the input is valid.</returns>
    public static IReadOnlyList<ValidationError> Validate(string? id, string? url, int weight, string fieldPrefix = "")
    {
        var errors = new List<ValidationError>();
        ValidateId(id, fieldPrefix + "id", errors);
        ValidateUrl(url, fieldPrefix + "url", errors, out _);
        if (weight < 0 || weight > BackendLimits.MaxWeight)
        {
            errors.Add(new ValidationError(fieldPrefix + "weight", $"must be between 0 and {BackendLimits.MaxWeight} (got {weight})."));
        }

        return errors;
    }

    /// <summary>Validates a set of backends as a whole: duplicate ids are errors.</summary>
    /// <param name="backends">The backends, already individually valid.</param>
    /// <returns>The errors found; empty when the set is valid.</returns>
    public static IReadOnlyList<ValidationError> ValidateSet(IEnumerable<BackendDefinition> backends)
    {
        ArgumentNullException.ThrowIfNull(backends);
        var errors = new List<ValidationError>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var backend in backends)
        {
            if (backend is null)
            {
                errors.Add(new ValidationError($"backends[{index}]", "must not be null."));
            }
            else if (!seen.TryAdd(backend.Id, index))
            {
                errors.Add(new ValidationError($"backends[{index}].id", $"duplicate id '{backend.Id}' (first used by backends[{seen[backend.Id]}])."));
            }

            index++;
        }

        return errors;
    }

    /// <summary>Throws <see cref="BackendValidationException"/> when <see cref="ValidateSet"/> finds errors.</summary>
    /// <param name="backends">The backends to check.</param>
    public static void ThrowIfInvalidSet(IEnumerable<BackendDefinition> backends)
    {
        var errors = ValidateSet(backends);
        if (errors.Count > 0)
        {
            throw new BackendValidationException(errors);
        }
    }

    internal static bool IsValidId(string? id) => id is { Length: > 0 and <= BackendLimits.MaxIdLength } && id.All(IsIdChar);

    private static bool IsIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    private static void ValidateId(string? id, string field, List<ValidationError> errors)
    {
        if (string.IsNullOrEmpty(id))
        {
            errors.Add(new ValidationError(field, "must not be empty."));
        }
        else if (!IsValidId(id))
        {
            errors.Add(new ValidationError(field, $"'{id}' must be 1 to {BackendLimits.MaxIdLength} characters of letters, digits, '.', '_' or '-'."));
        }
    }

    internal static void ValidateUrl(string? url, string field, List<ValidationError> errors, out Uri? parsed)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            errors.Add(new ValidationError(field, "must not be empty."));
            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc)
        {
            errors.Add(new ValidationError(field, $"'{url}' is not an absolute URL (expected http://host:port)."));
            return;
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add(new ValidationError(field, $"'{url}' must use http or https (got '{uri.Scheme}')."));
            return;
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            errors.Add(new ValidationError(field, $"'{url}' has no host."));
            return;
        }

        if (!string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            errors.Add(new ValidationError(field, $"'{url}' must not carry a query, a fragment or user info."));
            return;
        }

        parsed = uri;
    }
}
