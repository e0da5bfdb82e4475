using System.Globalization;
using RaftBalancer.State.Machine;

namespace RaftBalancer.State.Raft;

/// <summary>Guards start-up against a damaged write-ahead log, naming the file and offset.</summary>
/// <remarks>
/// DotNext keeps the log as fixed-size page files: <c>wal/data/{n}</c> (entry bytes, one segment of
/// <c>SegmentSize</c> each) and <c>wal/metadata/{n}</c> (per-entry records with a CRC-32 of each entry).
/// Before DotNext maps them we check every page file has its full size (a short file is a truncated
/// segment; mapping it could crash the process). After DotNext's own hash check fails we scan the data
/// pages for our framed entries to say where the damage is. Either way the node refuses to start: it never
/// drops committed entries silently.
/// </remarks>
internal static class WalIntegrity
{
    public static void CheckFiles(string walDirectory, int segmentSize)
    {
        CheckPages(Path.Combine(walDirectory, "data"), segmentSize);
        var metadata = new DirectoryInfo(Path.Combine(walDirectory, "metadata"));
        if (metadata.Exists)
        {
            var pages = Pages(metadata).ToList();
            var expected = pages.Count == 0 ? 0 : pages.Max(p => p.File.Length);
            expected = Math.Max(expected, 4096);
            CheckPages(metadata.FullName, expected);
        }
    }

    public static StateStoreCorruptException Explain(string walDirectory, int segmentSize, Exception error)
    {
        var location = FindDamage(Path.Combine(walDirectory, "data"), segmentSize);
        return new StateStoreCorruptException(
            $"Write-ahead log in '{walDirectory}' failed its integrity check ({error.Message}); {location}. "
            + "The node refuses to start rather than drop committed entries: restore the data directory from a backup, or delete it to resync this member from the cluster.",
            error);
    }

    private static void CheckPages(string directory, long expectedSize)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var (_, file) in Pages(new DirectoryInfo(directory)))
        {
            if (file.Length != expectedSize)
            {
                throw new StateStoreCorruptException(
                    $"Log segment '{file.FullName}' is truncated or damaged: it is {file.Length} bytes, every segment is {expectedSize} bytes; the data ends at offset {file.Length}. "
                    + "The node refuses to start rather than drop committed entries: restore the data directory from a backup, or delete it to resync this member from the cluster.");
            }
        }
    }

    private static IEnumerable<(uint Index, FileInfo File)> Pages(DirectoryInfo directory)
        => directory.EnumerateFiles()
            .Select(f => (Ok: uint.TryParse(f.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var i), Index: i, File: f))
            .Where(p => p.Ok)
            .OrderBy(p => p.Index)
            .Select(p => (p.Index, p.File));

    private static string FindDamage(string dataDirectory, int segmentSize)
    {
        if (!Directory.Exists(dataDirectory))
        {
            return "the data segments are missing";
        }

        var pages = Pages(new DirectoryInfo(dataDirectory)).ToList();
        if (pages.Count == 0)
        {
            return "no data segment files are present";
        }

        for (var i = 1; i < pages.Count; i++)
        {
            if (pages[i].Index != pages[i - 1].Index + 1)
            {
                return $"segment {pages[i - 1].Index + 1} is missing between '{pages[i - 1].File.FullName}' and '{pages[i].File.FullName}'";
            }
        }

        // Concatenate the contiguous segments: entries may straddle segment boundaries.
        var bytes = new byte[(long)pages.Count * segmentSize];
        for (var i = 0; i < pages.Count; i++)
        {
            using var stream = pages[i].File.OpenRead();
            stream.ReadExactly(bytes, i * segmentSize, (int)Math.Min(segmentSize, stream.Length));
        }

        // Walk our frames; the first frame whose CRC fails, or the first gap inside a chain of frames
        // that resumes later, is the damage.
        long chainEnd = -1;
        string? firstGap = null;
        for (var offset = 0; offset + StateCodec.HeaderSize <= bytes.Length;)
        {
            var span = bytes.AsSpan(offset);
            if (span[2] == (byte)FrameKind.LogEntry && StateCodec.TryReadFrameLength(span, out var total) && total <= span.Length && total > StateCodec.HeaderSize)
            {
                if (StateCodec.HasValidChecksum(span))
                {
                    if (chainEnd >= 0 && chainEnd != offset && offset - chainEnd > 0)
                    {
                        firstGap ??= Locate(pages, segmentSize, chainEnd, "unreadable bytes between two valid entries");
                    }

                    chainEnd = offset + total;
                    offset += total;
                    continue;
                }

                return Locate(pages, segmentSize, offset, "an entry whose CRC-32 does not match its bytes");
            }

            offset++;
        }

        return firstGap ?? $"the damage is in the metadata segments under '{Path.Combine(Path.GetDirectoryName(dataDirectory)!, "metadata")}' (the entry bytes themselves check out)";
    }

    private static string Locate(List<(uint Index, FileInfo File)> pages, int segmentSize, long address, string what)
    {
        var page = (int)(address / segmentSize);
        return $"{what} at offset {address % segmentSize} of segment file '{pages[page].File.FullName}'";
    }
}
