namespace RaftBalancer.State.Raft.Security;

/// <summary>Notices, at most once a second, that a set of files (certificates, keys, a token file) changed, and runs a reload.</summary>
/// <remarks>
/// One throttle for every reloaded file a node reads (member certificates, the admin and ops certificate, the admin
/// token file): callers ask on every use (a handshake, an admin call), and the files are only stamped
/// (<see cref="PemCertificates.Stamp"/>, by content) when a second has passed since the last look. The new stamp is
/// remembered before the reload runs, whether it succeeds or not, so a bad file is reported once and retried when it
/// changes again; the reload keeps the previous material on failure.
/// </remarks>
public sealed class FileChangeCheck
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly string[] _files;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private string _stamp;
    private long _lastCheck;

    /// <summary>Stamps the files as they are now (call before loading them: a change in between is reloaded later).</summary>
    /// <param name="time">The clock for the once-a-second throttle.</param>
    /// <param name="files">The files to watch.</param>
    public FileChangeCheck(TimeProvider time, params string[] files)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _files = files;
        _stamp = PemCertificates.Stamp(files);
        _lastCheck = time.GetTimestamp();
    }

    /// <summary>Runs <paramref name="reload"/> when a second has passed since the last look and the files changed since the last stamp.</summary>
    /// <param name="reload">Loads the files; handles and logs its own failures.</param>
    public void WhenChanged(Action reload)
    {
        ArgumentNullException.ThrowIfNull(reload);
        if (_time.GetElapsedTime(Interlocked.Read(ref _lastCheck)) < Interval)
        {
            return;
        }

        lock (_gate)
        {
            if (_time.GetElapsedTime(_lastCheck) < Interval)
            {
                return;
            }

            Interlocked.Exchange(ref _lastCheck, _time.GetTimestamp());
            var stamp = PemCertificates.Stamp(_files);
            if (stamp == _stamp)
            {
                return;
            }

            _stamp = stamp;
            reload();
        }
    }
}
