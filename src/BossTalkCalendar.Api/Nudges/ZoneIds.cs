namespace BossTalkCalendar.Api.Nudges;

/// <summary>Zone names for clients: IANA ids, which browsers understand, whatever name the mailbox used.</summary>
public static class ZoneIds
{
    /// <summary>The IANA id of <paramref name="zone"/>, or null for a zone that has none (a custom Graph zone).</summary>
    public static string? IanaOf(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (zone == TimeZoneInfo.Utc || zone.Id is "UTC" or "Etc/UTC")
        {
            return "Etc/UTC";
        }

        if (zone.HasIanaId)
        {
            return zone.Id;
        }

        return TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : null;
    }
}
