using System.Globalization;

namespace RaftBalancer.Cli.Commands;

/// <summary>Parses durations such as <c>500ms</c>, <c>10s</c>, <c>2m</c> or a bare number of seconds.</summary>
internal static class DurationParser
{
    /// <summary>Parses a positive duration.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="duration">The duration, when valid.</param>
    /// <returns>True when the text is a positive duration with a known unit (ms, s, m) or none (seconds).</returns>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        var (number, unit) = trimmed switch
        {
            _ when trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (trimmed[..^2], 1.0),
            _ when trimmed.EndsWith('s') || trimmed.EndsWith('S') => (trimmed[..^1], 1000.0),
            _ when trimmed.EndsWith('m') || trimmed.EndsWith('M') => (trimmed[..^1], 60_000.0),
            _ => (trimmed, 1000.0),
        };

        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || value <= 0
            || double.IsInfinity(value * unit)
            || value * unit > TimeSpan.FromDays(1).TotalMilliseconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(value * unit);
        return duration > TimeSpan.Zero;
    }
}
