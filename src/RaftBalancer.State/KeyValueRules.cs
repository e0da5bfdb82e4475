using System.Text;

namespace RaftBalancer.State;

/// <summary>The rules every key and value must follow, checked before anything is proposed or written.</summary>
public static class KeyValueRules
{
    /// <summary>The longest key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 512;

    /// <summary>The largest value, in bytes (1 MiB).</summary>
    public const int MaxValueBytes = 1024 * 1024;

    /// <summary>Checks a key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="paramName">The argument name reported in the exception.</param>
    /// <exception cref="ArgumentException">The key is empty, too long or holds a control character.</exception>
    public static void ValidateKey(string key, string paramName = "key")
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (TryValidateKey(key) is { } error)
        {
            throw new ArgumentException(error, paramName);
        }
    }

    /// <summary>Checks a key without throwing.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The reason the key is invalid, or <see langword="null"/> if it is valid.</returns>
    public static string? TryValidateKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "Key must not be empty.";
        }

        foreach (var c in key)
        {
            if (char.IsControl(c))
            {
                return $"Key must not contain control characters (found U+{(int)c:X4}).";
            }
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(key);
        }
        catch (EncoderFallbackException)
        {
            return "Key must be valid UTF-16 text (found an unpaired surrogate).";
        }

        return bytes > MaxKeyBytes
            ? $"Key is {bytes} bytes of UTF-8; the limit is {MaxKeyBytes} bytes."
            : null;
    }

    /// <summary>Checks a prefix used for listing or watching (may be empty).</summary>
    /// <param name="prefix">The prefix.</param>
    /// <exception cref="ArgumentException">The prefix is too long or holds a control character.</exception>
    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > 0 && TryValidateKey(prefix) is { } error)
        {
            throw new ArgumentException(error.Replace("Key", "Prefix", StringComparison.Ordinal), nameof(prefix));
        }
    }

    /// <summary>Checks a value's size.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The value is larger than <see cref="MaxValueBytes"/>.</exception>
    public static void ValidateValue(ReadOnlyMemory<byte> value)
    {
        if (value.Length > MaxValueBytes)
        {
            throw new ArgumentException(
                $"Value is {value.Length} bytes; the limit is {MaxValueBytes} bytes (1 MiB).", nameof(value));
        }
    }

    /// <summary>Checks a time to live.</summary>
    /// <param name="ttl">The TTL, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">The TTL is zero or negative.</exception>
    public static void ValidateTtl(TimeSpan? ttl)
    {
        if (ttl is { } value && value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), value, "TTL must be positive; pass null for a key that never expires.");
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
