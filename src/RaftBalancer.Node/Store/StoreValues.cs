using System.Collections.ObjectModel;
using Google.Protobuf;
using RaftBalancer.Contracts.V1;
using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Health;
using RaftBalancer.Core.Routing;
using HealthState = RaftBalancer.Core.Health.HealthState;

namespace RaftBalancer.Node.Store;

/// <summary>Converts between Core types and the protobuf values stored under the node's keys.</summary>
internal static class StoreValues
{
    public static byte[] Encode(BackendDefinition backend)
    {
        var value = new BackendConfigValue { Id = backend.Id, Url = backend.Url.OriginalString, Weight = backend.Weight, Draining = backend.Draining };
        foreach (var (key, item) in backend.Metadata)
        {
            value.Metadata[key] = item;
        }

        return value.ToByteArray();
    }

    /// <summary>Decodes a stored backend; null when the bytes or the definition are invalid.</summary>
    public static BackendDefinition? DecodeBackend(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var value = BackendConfigValue.Parser.ParseFrom(bytes.Span);
            return new BackendDefinition(value.Id, value.Url, value.Weight, value.Draining, value.Metadata);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
        catch (BackendValidationException)
        {
            return null;
        }
    }

    public static byte[] EncodePolicy(string name) => new PolicyValue { Name = name }.ToByteArray();

    public static string? DecodePolicy(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return PolicyValue.Parser.ParseFrom(bytes.Span).Name;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    public static byte[] Encode(string backendId, string nodeId, HealthSnapshot snapshot, DateTimeOffset reportedAt) => new HealthReportValue
    {
        BackendId = backendId,
        NodeId = nodeId,
        State = snapshot.State switch
        {
            HealthState.Healthy => StoredHealthState.Healthy,
            HealthState.Unhealthy => StoredHealthState.Unhealthy,
            HealthState.RateLimited => StoredHealthState.RateLimited,
            _ => StoredHealthState.Unknown,
        },
        SinceUnixMs = snapshot.Since.ToUnixTimeMilliseconds(),
        Reason = snapshot.Reason,
        RateLimitedUntilUnixMs = snapshot.RateLimitedUntil?.ToUnixTimeMilliseconds() ?? 0,
        ReportedAtUnixMs = reportedAt.ToUnixTimeMilliseconds(),
    }.ToByteArray();

    public static NodeHealthReport? DecodeHealth(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var value = HealthReportValue.Parser.ParseFrom(bytes.Span);
            var state = value.State switch
            {
                StoredHealthState.Healthy => HealthState.Healthy,
                StoredHealthState.Unhealthy => HealthState.Unhealthy,
                StoredHealthState.RateLimited => HealthState.RateLimited,
                _ => HealthState.Unknown,
            };
            DateTimeOffset? until = value.RateLimitedUntilUnixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(value.RateLimitedUntilUnixMs);
            return new NodeHealthReport(value.NodeId, state, DateTimeOffset.FromUnixTimeMilliseconds(value.ReportedAtUnixMs), until);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    public static byte[] EncodeLoad(string nodeId, ulong sequence, IReadOnlyDictionary<string, long> active, DateTimeOffset reportedAt, IReadOnlyDictionary<string, long>? served = null)
    {
        var value = new LoadReportValue { NodeId = nodeId, Sequence = sequence, ReportedAtUnixMs = reportedAt.ToUnixTimeMilliseconds() };
        foreach (var (id, count) in active)
        {
            if (count > 0)
            {
                value.Active[id] = count;
            }
        }

        foreach (var (id, count) in served ?? ReadOnlyDictionary<string, long>.Empty)
        {
            if (count > 0)
            {
                value.Served[id] = (ulong)count;
            }
        }

        return value.ToByteArray();
    }

    public static LoadReportValue? DecodeLoad(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return LoadReportValue.Parser.ParseFrom(bytes.Span);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
