using System.Text.Json.Serialization;

namespace RaftBalancer.DemoBackend;

/// <summary>Source-generated JSON for the control endpoint.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ControlView))]
[JsonSerializable(typeof(ControlError))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
