using System.Globalization;

namespace RaftBalancer.Core.Health;

/// <summary>Formats durations compactly for operator-facing messages ("2s", "200ms", "1.5s").</summary>
internal static class DurationText
{
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            return "-" + Format(value.Duration());
        }

        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
        }

        return value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
    }
}
