using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BossTalkCalendar.Core.Nudges;

/// <summary>What a nudge places on the calendar.</summary>
public enum NudgeKind
{
    /// <summary>The private reflection block.</summary>
    Reflection,

    /// <summary>The optional follow-up (private hold or invitation).</summary>
    FollowUp,

    /// <summary>After a rough one-on-one: a short private block before the next one with the same manager.</summary>
    Prep,
}

/// <summary>
/// Identifiers that make every write idempotent: one unique key per nudge, a transactionId derived from it
/// (so a retried create never duplicates), and the extended property that ties our events to their meeting.
/// </summary>
public static class NudgeKeys
{
    /// <summary>Our fixed property-set GUID for the single-value extended property on every event we write.</summary>
    public static readonly Guid ExtendedPropertyNamespace = new("b3dbb55d-d4ce-433c-a10a-729fa50e30c6");

    /// <summary>The extended property's name within <see cref="ExtendedPropertyNamespace"/>.</summary>
    public const string ExtendedPropertyName = "BossTalk.Source";

    private const char Separator = '|';

    /// <summary>Graph's id of our single-value extended property: <c>String {guid} Name BossTalk.Source</c>.</summary>
    public static string ExtendedPropertyId { get; } =
        "String {" + ExtendedPropertyNamespace.ToString("D") + "} Name " + ExtendedPropertyName;

    /// <summary>
    /// The nudge's unique key: <c>tenant|user|kind|occurrence start (UTC, seconds)|iCalUId</c>, ids trimmed and in
    /// lower case. The free-form iCalUId comes last, and the other ids may not contain '|', so keys never collide.
    /// </summary>
    /// <exception cref="ArgumentException">An id is empty, or the tenant or user id contains '|'.</exception>
    public static string UniqueKey(string tenantId, string userId, string iCalUId, DateTimeOffset occurrenceStart, NudgeKind kind)
    {
        var tenant = Normalise(tenantId, nameof(tenantId), allowSeparator: false);
        var user = Normalise(userId, nameof(userId), allowSeparator: false);
        var meeting = Normalise(iCalUId, nameof(iCalUId), allowSeparator: true);
        var start = occurrenceStart.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return string.Join(Separator, tenant, user, KindName(kind), start, meeting);
    }

    /// <summary>
    /// A deterministic GUID (RFC 9562 name-based UUID, version 8 over SHA-256 of our namespace and the key),
    /// formatted "D" in lower case, for Graph's <c>transactionId</c>.
    /// </summary>
    public static string TransactionId(string uniqueKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uniqueKey);
        var name = Encoding.UTF8.GetBytes(uniqueKey);
        var buffer = new byte[16 + name.Length];
        ExtendedPropertyNamespace.TryWriteBytes(buffer, bigEndian: true, out _);
        name.CopyTo(buffer, 16);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer, hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }

    /// <summary>The extended property's value: <c>kind|iCalUId</c>, e.g. <c>reflection|040000008200E0...</c>.</summary>
    public static string SourceValue(NudgeKind kind, string iCalUId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(iCalUId);
        return KindName(kind) + Separator + iCalUId.Trim();
    }

    /// <summary>Reads a value written by <see cref="SourceValue"/>; false for anything else.</summary>
    public static bool TryParseSourceValue(string? value, out NudgeKind kind, out string iCalUId)
    {
        kind = NudgeKind.Reflection;
        iCalUId = string.Empty;
        var separator = value?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
        if (value is null || separator <= 0 || separator == value.Length - 1)
        {
            return false;
        }

        var name = value[..separator];
        if (name == KindName(NudgeKind.Reflection))
        {
            kind = NudgeKind.Reflection;
        }
        else if (name == KindName(NudgeKind.FollowUp))
        {
            kind = NudgeKind.FollowUp;
        }
        else if (name == KindName(NudgeKind.Prep))
        {
            kind = NudgeKind.Prep;
        }
        else
        {
            return false;
        }

        iCalUId = value[(separator + 1)..];
        return true;
    }

    /// <summary>The stable lower-case name of a kind: "reflection", "follow-up" or "prep".</summary>
    public static string KindName(NudgeKind kind) => kind switch
    {
        NudgeKind.Reflection => "reflection",
        NudgeKind.FollowUp => "follow-up",
        NudgeKind.Prep => "prep",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown nudge kind."),
    };

    private static string Normalise(string value, string name, bool allowSeparator)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        var trimmed = value.Trim();
        if (!allowSeparator && trimmed.Contains(Separator, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The id may not contain '{Separator}'.", name);
        }

        return trimmed.ToLowerInvariant();
    }
}
