using System.Text.Json;
using System.Text.Json.Serialization;

namespace RaftBalancer.Node.Observability;

/// <summary>Source-generated JSON for <see cref="DashboardModel"/> (camelCase, like <c>/-/status</c>).</summary>
[JsonSerializable(typeof(DashboardModel))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
