namespace RaftBalancer.Node.Observability;

/// <summary>Settings of metrics, traces and the access log (configuration section <c>Observability</c>); the ops listener's address is <c>Node:OpsUrl</c>.</summary>
public sealed class ObservabilityOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Observability";

    /// <summary>True (default) to export metrics at <c>/metrics</c> on the ops listener; false records nothing.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>A PFX certificate for the ops listener; when set it serves HTTPS with HTTP/1.1 and HTTP/2 (ALPN).</summary>
    public string CertificatePath { get; set; } = string.Empty;

    /// <summary>The password of <see cref="CertificatePath"/>, if any.</summary>
    public string CertificatePassword { get; set; } = string.Empty;

    /// <summary>Where spans go over OTLP (e.g. <c>http://collector:4317</c>); empty (default) exports none.</summary>
    public string OtlpEndpoint { get; set; } = string.Empty;

    /// <summary>The fraction of new traces sampled when exporting over OTLP (a traced parent is always followed). Default 1.</summary>
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>The per-request access log (off by default).</summary>
    public AccessLogOptions AccessLog { get; } = new();

    /// <summary>Collects every invalid field, named.</summary>
    /// <returns>The errors; empty when valid.</returns>
    public List<string> Validate()
    {
        var errors = new List<string>();
        if (TraceSampleRatio is < 0 or > 1 || double.IsNaN(TraceSampleRatio))
        {
            errors.Add("Observability:TraceSampleRatio must be between 0 and 1 (was " + TraceSampleRatio + ").");
        }

        if (!string.IsNullOrEmpty(OtlpEndpoint) && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
        {
            errors.Add("Observability:OtlpEndpoint must be an absolute URL (was '" + OtlpEndpoint + "').");
        }

        if (!string.IsNullOrEmpty(CertificatePath) && !File.Exists(CertificatePath))
        {
            errors.Add("Observability:CertificatePath: file '" + CertificatePath + "' does not exist.");
        }

        if (AccessLog.Capacity < 1)
        {
            errors.Add("Observability:AccessLog:Capacity must be at least 1 (was " + AccessLog.Capacity + ").");
        }

        return errors;
    }
}
