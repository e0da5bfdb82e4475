using System.Text.Json.Serialization;

namespace RaftBalancer.Node.Admin;

/// <summary>Source-generated JSON for the admin endpoints.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(NodeStatus))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
