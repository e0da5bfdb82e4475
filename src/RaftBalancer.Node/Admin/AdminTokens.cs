using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RaftBalancer.State.Raft.Security;

namespace RaftBalancer.Node.Admin;

/// <summary>What a token allows.</summary>
internal enum TokenScope
{
    /// <summary>Reads: cluster status, list backends, watch the view, the ops listener (metrics, dashboard, status).</summary>
    Read,

    /// <summary>Everything, mutations included.</summary>
    Admin,
}

/// <summary>Every bearer token this node accepts and its scope: <c>Admin:Token</c> (admin scope) and the lines of <c>Admin:TokenFile</c>.</summary>
/// <remarks>
/// <para>
/// The file holds one <c>&lt;scope&gt; &lt;token&gt;</c> a line (scope <c>read</c> or <c>admin</c>, separated by white space;
/// blank lines and lines starting with <c>#</c> are skipped); every token in it is valid at once. It is loaded at start
/// (a bad file stops the node) and re-read when its contents changed, looked at no more than once a second
/// (<see cref="FileChangeCheck"/>), so a line removed is refused within about a second, without a restart. A file that fails to load at run time keeps the last good set
/// and is logged (3403); a good reload is logged too (3404).
/// </para>
/// <para>
/// Tokens are kept as SHA-256 digests and compared with <see cref="CryptographicOperations.FixedTimeEquals"/> against
/// every entry, so neither content nor length leaks through timing.
/// </para>
/// </remarks>
internal sealed class AdminTokens
{
    private readonly string _path;
    private readonly Entry[] _inline;
    private readonly FileChangeCheck? _file;
    private readonly ILogger _logger;
    private List<Entry> _entries;

    /// <summary>Loads the tokens.</summary>
    /// <param name="options">The admin options (token already overridden by the environment).</param>
    /// <param name="logger">Logs reloads; <see langword="null"/> logs nothing.</param>
    /// <param name="time">The clock for the once-a-second look at the file.</param>
    /// <exception cref="InvalidOperationException">The token file is missing, unreadable or malformed; the message names <c>Admin:TokenFile</c>.</exception>
    public AdminTokens(AdminOptions options, ILogger<AdminTokens>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _inline = string.IsNullOrEmpty(options.Token) ? [] : [new Entry(Digest(options.Token), TokenScope.Admin)];
        _path = string.IsNullOrWhiteSpace(options.TokenFile) ? string.Empty : Path.GetFullPath(options.TokenFile);
        if (_path.Length == 0)
        {
            _entries = [];
            return;
        }

        _file = new FileChangeCheck(time ?? TimeProvider.System, _path);
        var (entries, errors) = Load(_path);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", errors));
        }

        _entries = entries;
    }

    /// <summary>Gets a value indicating whether any token source is configured (an inline token or a token file).</summary>
    public bool IsConfigured => _inline.Length > 0 || _path.Length > 0;

    /// <summary>Gets the token file's full path, or empty.</summary>
    public string FilePath => _path;

    /// <summary>The scope of a presented token, or <see langword="null"/> when no configured token matches.</summary>
    /// <param name="presented">The token as presented (without the <c>Bearer</c> scheme).</param>
    public TokenScope? Find(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var digest = Digest(presented);
        TokenScope? found = null;
        foreach (var entry in _inline)
        {
            found = Max(found, entry, digest);
        }

        foreach (var entry in Current())
        {
            found = Max(found, entry, digest);
        }

        return found;
    }

    /// <summary>Collects what is wrong with the token file, each error naming <c>Admin:TokenFile</c>.</summary>
    /// <param name="path">The configured path.</param>
    /// <returns>The errors; empty when the file loads.</returns>
    public static List<string> Validate(string path) => Load(Path.GetFullPath(path)).Errors;

    /// <summary>Parses a token file's text.</summary>
    /// <param name="path">The file, for messages.</param>
    /// <param name="text">Its content.</param>
    /// <returns>The entries and every error (by line number; a token is never echoed).</returns>
    internal static (List<Entry> Entries, List<string> Errors) Parse(string path, string text)
    {
        var entries = new List<Entry>();
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var where = Where(path) + " line " + (i + 1).ToString(CultureInfo.InvariantCulture) + ": ";
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2)
            {
                errors.Add(where + (fields.Length == 1 ? "the token is empty" : "has " + fields.Length.ToString(CultureInfo.InvariantCulture) + " fields")
                    + "; expected '<scope> <token>' with scope read or admin.");
                continue;
            }

            TokenScope scope;
            if (string.Equals(fields[0], "read", StringComparison.Ordinal))
            {
                scope = TokenScope.Read;
            }
            else if (string.Equals(fields[0], "admin", StringComparison.Ordinal))
            {
                scope = TokenScope.Admin;
            }
            else
            {
                errors.Add(where + "unknown scope; the first field must be read or admin.");
                continue;
            }

            var token = fields[1];
            if (token.Length < AdminOptions.MinTokenLength)
            {
                errors.Add(where + "the token must be at least " + AdminOptions.MinTokenLength.ToString(CultureInfo.InvariantCulture) + " characters (got "
                    + token.Length.ToString(CultureInfo.InvariantCulture) + ").");
                continue;
            }

            if (token.Any(c => c <= ' ' || c > '~'))
            {
                errors.Add(where + "the token must be printable ASCII (it travels in the authorization header).");
                continue;
            }

            if (!seen.Add(token))
            {
                errors.Add(where + "the token is listed twice.");
                continue;
            }

            entries.Add(new Entry(Digest(token), scope));
        }

        return (entries, errors);
    }

    private static (List<Entry> Entries, List<string> Errors) Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ([], [Where(path) + ": the file does not exist."]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ([], [Where(path) + ": cannot read the file: " + e.Message]);
        }

        return Parse(path, text);
    }

    private static string Where(string path) => "Admin:TokenFile '" + path + "'";

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static TokenScope? Max(TokenScope? found, Entry entry, byte[] digest) =>
        CryptographicOperations.FixedTimeEquals(entry.Digest, digest) && (found is null || entry.Scope > found) ? entry.Scope : found;

    private List<Entry> Current()
    {
        _file?.WhenChanged(Reload);
        return Volatile.Read(ref _entries);
    }

    private void Reload()
    {
        var (entries, errors) = Load(_path);
        if (errors.Count > 0)
        {
            // Keep the last good set; the same bad file is reported once and retried when it changes again.
            Log.AdminTokensReloadFailed(_logger, _path, string.Join(" ", errors));
            return;
        }

        Volatile.Write(ref _entries, entries);
        Log.AdminTokensReloaded(_logger, _path, entries.Count);
    }

    /// <summary>One accepted token: its SHA-256 digest and scope.</summary>
    internal sealed record Entry(byte[] Digest, TokenScope Scope);
}
