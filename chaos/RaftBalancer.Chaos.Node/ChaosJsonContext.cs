using System.Text.Json.Serialization;

namespace RaftBalancer.Chaos.Node;

/// <summary>Source-generated JSON for the chaos endpoints.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ChaosLinkRequest))]
[JsonSerializable(typeof(ChaosKvEntry))]
[JsonSerializable(typeof(List<ChaosKvEntry>))]
[JsonSerializable(typeof(ChaosWriteResult))]
[JsonSerializable(typeof(ChaosRaftStatus))]
internal sealed partial class ChaosJsonContext : JsonSerializerContext;
