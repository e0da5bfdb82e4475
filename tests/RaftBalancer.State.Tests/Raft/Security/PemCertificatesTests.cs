using RaftBalancer.State.Raft.Security;

namespace RaftBalancer.State.Tests.Raft.Security;

/// <summary>The change stamp that decides when a certificate or token file is reloaded.</summary>
public sealed class PemCertificatesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rb-stamp-").FullName;

    [Fact]
    public void Stamp_FileRewrittenWithTheSameSizeAndTimestamp_Differs()
    {
        // File times come from a coarse kernel clock: two writes within one tick get the same time. A re-issued
        // certificate usually has the same length as the one it replaces.
        var file = Path.Combine(_directory, "node.crt");
        var time = new DateTime(2026, 12, 5, 9, 0, 0, DateTimeKind.Utc);
        File.WriteAllText(file, "certificate-one");
        File.SetLastWriteTimeUtc(file, time);
        var before = PemCertificates.Stamp(file);

        File.WriteAllText(file, "certificate-two");
        File.SetLastWriteTimeUtc(file, time);

        Assert.NotEqual(before, PemCertificates.Stamp(file));
    }

    [Fact]
    public void Stamp_SameContents_IsEqual_AndAMissingFileIsMarked()
    {
        var file = Path.Combine(_directory, "node.key");
        File.WriteAllText(file, "key");
        var before = PemCertificates.Stamp(file, Path.Combine(_directory, "absent"));

        File.WriteAllText(file, "key");

        var after = PemCertificates.Stamp(file, Path.Combine(_directory, "absent"));
        Assert.Equal(before, after);
        Assert.EndsWith("|-", after, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
