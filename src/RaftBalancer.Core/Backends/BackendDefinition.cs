using System.Collections.Frozen;

namespace RaftBalancer.Core.Backends;

/// <summary>A configured backend: where it is, how much traffic it takes and whether it is draining.</summary>
/// <remarks>Immutable and validated at construction: an instance always holds a usable id, an absolute http(s) URL and a weight in range.</remarks>
public sealed class BackendDefinition : IEquatable<BackendDefinition>
{
    private static readonly FrozenDictionary<string, string> NoMetadata = FrozenDictionary<string, string>.Empty;

    /// <summary>Creates a validated backend definition.</summary>
    /// <param name="id">Unique id: 1–64 characters of letters, digits, '.', '_' or '-'.</param>
    /// <param name="url">Absolute http or https base URL.</param>
    /// <param name="weight">0 to <see cref="BackendLimits.MaxWeight"/>; 0 takes no traffic.</param>
    /// <param name="draining">True when the backend takes no new requests.</param>
    /// <param name="metadata">Free-form labels; at most <see cref="BackendLimits.MaxMetadataEntries"/>.</param>
    /// <exception cref="BackendValidationException">Any field is invalid; the message names every bad field.</exception>
    public BackendDefinition(string id, string url, int weight = 1, bool draining = false, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var errors = new List<ValidationError>(BackendValidator.Validate(id, url, weight));
        if (metadata is { Count: > BackendLimits.MaxMetadataEntries })
        {
            errors.Add(new ValidationError("metadata", $"must have at most {BackendLimits.MaxMetadataEntries} entries (got {metadata.Count})."));
        }

        if (errors.Count > 0)
        {
            throw new BackendValidationException(errors);
        }

        Id = id;
        Url = new Uri(url, UriKind.Absolute);
        Weight = weight;
        Draining = draining;
        Metadata = metadata is null || metadata.Count == 0 ? NoMetadata : metadata.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The backend's unique id.</summary>
    public string Id { get; }

    /// <summary>The backend's base URL; requests keep their path and query on top of it.</summary>
    public Uri Url { get; }

    /// <summary>The relative share of traffic under weighted policies; 0 takes none.</summary>
    public int Weight { get; }

    /// <summary>True when the backend takes no new requests.</summary>
    public bool Draining { get; }

    /// <summary>Free-form labels.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Returns a copy with another weight.</summary>
    /// <param name="weight">The new weight.</param>
    /// <returns>A validated copy.</returns>
    public BackendDefinition WithWeight(int weight) => new(Id, Url.OriginalString, weight, Draining, Metadata);

    /// <summary>Returns a copy with the drain flag set or cleared.</summary>
    /// <param name="draining">The new drain flag.</param>
    /// <returns>A copy.</returns>
    public BackendDefinition WithDraining(bool draining) => new(Id, Url.OriginalString, Weight, draining, Metadata);

    /// <inheritdoc />
    public bool Equals(BackendDefinition? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Id == other.Id
                && Url == other.Url
                && Weight == other.Weight
                && Draining == other.Draining
                && Metadata.Count == other.Metadata.Count
                && Metadata.All(pair => other.Metadata.TryGetValue(pair.Key, out var value) && value == pair.Value)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as BackendDefinition);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Url, Weight, Draining, Metadata.Count);

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Url} weight={Weight}{(Draining ? " draining" : string.Empty)}";
}
