using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RaftBalancer.State.Raft.Security;

namespace RaftBalancer.Node.Admin;

/// <summary>The certificate the admin and ops listeners serve (<c>Admin:Tls</c>), re-read when its files change.</summary>
/// <remarks>
/// Loaded with the same code as the member-to-member certificate (<see cref="PemCertificates"/>). Kestrel asks for it on
/// every handshake (<c>ServerCertificateSelector</c>); at most once a second that checks the files' stamp and reloads them
/// when it changed, so a replaced certificate serves the next connection without a restart. A pair that fails to load
/// keeps the previous certificate and is logged (3405).
/// </remarks>
internal sealed class AdminCertificate
{
    private readonly string _certificateFile;
    private readonly string _keyFile;
    private readonly FileChangeCheck _files;
    private readonly ILogger _logger;
    private X509Certificate2 _current;

    /// <summary>Loads the pair.</summary>
    /// <param name="options">The configured files (both set).</param>
    /// <param name="logger">Logs reloads; <see langword="null"/> logs nothing.</param>
    /// <param name="time">The clock for the once-a-second check.</param>
    /// <exception cref="CryptographicException">The files are not a certificate and its key.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public AdminCertificate(AdminTlsOptions options, ILogger<AdminCertificate>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _certificateFile = Path.GetFullPath(options.CertificateFile);
        _keyFile = Path.GetFullPath(options.KeyFile);
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _files = new FileChangeCheck(time ?? TimeProvider.System, _certificateFile, _keyFile);
        _current = PemCertificates.Load(_certificateFile, _keyFile);
    }

    /// <summary>Gets the certificate file's full path.</summary>
    public string CertificateFile => _certificateFile;

    /// <summary>Gets the certificate to serve now (with its key).</summary>
    public X509Certificate2 Current
    {
        get
        {
            _files.WhenChanged(Reload);
            return Volatile.Read(ref _current);
        }
    }

    /// <summary>Collects what is wrong with <c>Admin:Tls</c>, each error naming its setting.</summary>
    /// <param name="options">The configured files.</param>
    /// <returns>The errors; empty when the pair loads (or TLS is not configured).</returns>
    public static List<string> Validate(AdminTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!options.IsConfigured)
        {
            return errors;
        }

        const string S = AdminOptions.SectionName + ":Tls:";
        if (string.IsNullOrWhiteSpace(options.CertificateFile))
        {
            errors.Add(S + "CertificateFile is not set but " + S + "KeyFile is; HTTPS needs both (PEM).");
        }
        else if (!File.Exists(options.CertificateFile))
        {
            errors.Add(S + "CertificateFile: file '" + Path.GetFullPath(options.CertificateFile) + "' does not exist.");
        }

        if (string.IsNullOrWhiteSpace(options.KeyFile))
        {
            errors.Add(S + "KeyFile is not set but " + S + "CertificateFile is; HTTPS needs the certificate's private key (PEM).");
        }
        else if (!File.Exists(options.KeyFile))
        {
            errors.Add(S + "KeyFile: file '" + Path.GetFullPath(options.KeyFile) + "' does not exist.");
        }

        if (errors.Count == 0)
        {
            try
            {
                using var loaded = PemCertificates.Load(options.CertificateFile, options.KeyFile);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                errors.Add(S + "CertificateFile/KeyFile: cannot load '" + Path.GetFullPath(options.CertificateFile) + "' with key '"
                    + Path.GetFullPath(options.KeyFile) + "' as a PEM certificate and its private key: " + e.Message);
            }
        }

        return errors;
    }

    private void Reload()
    {
        try
        {
            Volatile.Write(ref _current, PemCertificates.Load(_certificateFile, _keyFile));
            Log.AdminTlsReloaded(_logger, _certificateFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Keep serving the previous certificate (a half-written pair is retried when it changes again).
            Log.AdminTlsReloadFailed(_logger, _certificateFile, e.Message);
        }
    }
}
