using TimeZoneConverter;

namespace BossTalkCalendar.Graph;

/// <summary>The zone names we send to Graph (reading zones is Core's <c>TimeZones</c>).</summary>
internal static class ZoneNames
{
    /// <summary>
    /// The name to send to Graph for <paramref name="zone"/>: the Windows name, which every Graph endpoint
    /// accepts (its IANA support is a listed subset). Null when the zone has no Windows equivalent.
    /// </summary>
    public static string? GraphNameOf(TimeZoneInfo zone)
    {
        if (zone.Id is "UTC" or "Etc/UTC" || zone == TimeZoneInfo.Utc)
        {
            return "UTC";
        }

        if (!zone.HasIanaId)
        {
            return TZConvert.KnownWindowsTimeZoneIds.Contains(zone.Id, StringComparer.OrdinalIgnoreCase) ? zone.Id : null;
        }

        return TZConvert.TryIanaToWindows(zone.Id, out var windows) ? windows : null;
    }
}
