using System.Net;

namespace RaftBalancer.State.Raft;

/// <summary>Checks <see cref="RaftStoreOptions"/>, collecting every error with the field named.</summary>
public sealed class RaftStoreOptionsValidator : CollectingOptionsValidator<RaftStoreOptions>
{
    /// <inheritdoc/>
    protected override void Collect(RaftStoreOptions options, List<string> errors)
    {
        const string P = RaftStoreOptions.SectionName + ":";

        if (options.Members.Count == 0)
        {
            errors.Add($"{P}Members: the member list is empty; list every member (3 or 5), this node included.");
        }
        else if (options.Members.Count is not (3 or 5))
        {
            errors.Add($"{P}Members: {options.Members.Count} members listed; static membership needs 3 or 5.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var addresses = new Dictionary<IPEndPoint, string>();
        for (var i = 0; i < options.Members.Count; i++)
        {
            var m = options.Members[i];
            var field = $"{P}Members:{i}";
            if (string.IsNullOrWhiteSpace(m.Id))
            {
                errors.Add($"{field}:Id: member id is empty.");
            }
            else if (!ids.Add(m.Id))
            {
                errors.Add($"{field}:Id: duplicate member id '{m.Id}'.");
            }

            CheckAddress(m.RaftAddress, $"{field}:RaftAddress", m.Id, addresses, errors);
            CheckAddress(m.ForwardAddress, $"{field}:ForwardAddress", m.Id, addresses, errors);
        }

        if (string.IsNullOrWhiteSpace(options.NodeId))
        {
            errors.Add($"{P}NodeId: this node's id is empty.");
        }
        else if (options.Members.Count > 0 && !ids.Contains(options.NodeId))
        {
            errors.Add($"{P}NodeId: this node's id '{options.NodeId}' is not in the member list ({string.Join(", ", ids)}); a node only starts as one of the configured members.");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add($"{P}DataDirectory: the data directory is empty.");
        }

        if (options.ElectionTimeoutLower <= TimeSpan.Zero)
        {
            errors.Add($"{P}ElectionTimeoutLower: must be positive (was {options.ElectionTimeoutLower}).");
        }

        if (options.ElectionTimeoutUpper <= options.ElectionTimeoutLower)
        {
            errors.Add($"{P}ElectionTimeoutUpper: must be greater than ElectionTimeoutLower ({options.ElectionTimeoutUpper.TotalMilliseconds} ms <= {options.ElectionTimeoutLower.TotalMilliseconds} ms).");
        }

        if (options.HeartbeatThreshold is <= 0 or >= 1 || double.IsNaN(options.HeartbeatThreshold))
        {
            errors.Add($"{P}HeartbeatThreshold: must be in (0, 1) (was {options.HeartbeatThreshold}).");
        }

        if (options.RequestTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{P}RequestTimeout: must be at least 1 s (was {options.RequestTimeout.TotalMilliseconds} ms); short timeouts break snapshot installs under load.");
        }

        if (options.WriteTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{P}WriteTimeout: must be positive (was {options.WriteTimeout}).");
        }

        if (options.SnapshotInterval < 1)
        {
            errors.Add($"{P}SnapshotInterval: must be at least 1 entry (was {options.SnapshotInterval}).");
        }

        if (options.SegmentSize < 4096)
        {
            errors.Add($"{P}SegmentSize: must be at least 4096 bytes (was {options.SegmentSize}).");
        }

        if (options.ExpirySweepInterval <= TimeSpan.Zero)
        {
            errors.Add($"{P}ExpirySweepInterval: must be positive (was {options.ExpirySweepInterval}).");
        }

        if (options.WatchCapacity < 1)
        {
            errors.Add($"{P}WatchCapacity: must be at least 1 (was {options.WatchCapacity}).");
        }

        if (options.Tls.IsConfigured)
        {
            CheckFile(options.Tls.CaFile, $"{P}Tls:CaFile", errors);
            CheckFile(options.Tls.CertificateFile, $"{P}Tls:CertificateFile", errors);
            CheckFile(options.Tls.KeyFile, $"{P}Tls:KeyFile", errors);
        }
    }

    internal static bool TryParseEndPoint(string? text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        return !string.IsNullOrWhiteSpace(text)
            && IPEndPoint.TryParse(text, out var parsed)
            && parsed.Port is > 0 and <= 65535
            && (endPoint = parsed) is not null;
    }

    private static void CheckFile(string path, string field, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{field}: empty; mutual TLS needs the CA, the certificate and the key file.");
        }
        else if (!File.Exists(path))
        {
            errors.Add($"{field}: file '{path}' does not exist.");
        }
    }

    private static void CheckAddress(string address, string field, string id, Dictionary<IPEndPoint, string> seen, List<string> errors)
    {
        if (!TryParseEndPoint(address, out var endPoint))
        {
            errors.Add($"{field}: '{address}' is not an ip:port address with a port in 1..65535.");
            return;
        }

        if (seen.TryGetValue(endPoint, out var owner))
        {
            errors.Add($"{field}: duplicate member address {endPoint} (already used by {owner}).");
        }
        else
        {
            seen.Add(endPoint, $"member '{id}'");
        }
    }
}
