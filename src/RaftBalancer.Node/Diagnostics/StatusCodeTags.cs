using System.Globalization;

namespace RaftBalancer.Node.Diagnostics;

/// <summary>Status codes as cached tag values, so counting a response boxes and formats nothing.</summary>
internal static class StatusCodeTags
{
    /// <summary>The <c>code</c> of an attempt that got no response.</summary>
    public const string Error = "error";

    private static readonly object[] Codes = [.. Enumerable.Range(0, 600).Select(c => (object)c.ToString(CultureInfo.InvariantCulture))];

    /// <summary>The tag value for <paramref name="statusCode"/>: its digits, or <see cref="Error"/> for 0 or out of range.</summary>
    public static object Get(int statusCode) => statusCode is >= 100 and < 600 ? Codes[statusCode] : Error;
}
