using System.Text.Json;
using System.Text.Json.Serialization;

namespace BossTalkCalendar.GraphSimulator;

/// <summary>A simulated tenant as written in a seed file (camelCase JSON).</summary>
public sealed class TenantSeed
{
    public string TenantId { get; set; } = "00000000-0000-0000-0000-000000000001";

    public List<SeedUser> Users { get; set; } = [];

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static TenantSeed Load(string jsonPath)
    {
        using var stream = File.OpenRead(jsonPath);
        return JsonSerializer.Deserialize<TenantSeed>(stream, JsonOptions)
            ?? throw new InvalidDataException($"Seed file '{jsonPath}' is empty.");
    }

    public void Save(string jsonPath) => File.WriteAllText(jsonPath, JsonSerializer.Serialize(this, JsonOptions));
}

public sealed class SeedUser
{
    public string Id { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string Mail { get; set; } = "";

    public string UserPrincipalName { get; set; } = "";

    public string? ManagerId { get; set; }

    /// <summary>The mailbox's preferred zone, Windows or IANA name, as mailboxSettings returns it.</summary>
    public string TimeZone { get; set; } = "UTC";

    public SeedWorkingHours WorkingHours { get; set; } = new();

    /// <summary>mailboxSettings.language.locale, e.g. "de-DE"; Graph's own default for a new mailbox is en-US.</summary>
    public string Locale { get; set; } = "en-US";

    public List<SeedEvent> Events { get; set; } = [];
}

public sealed class SeedWorkingHours
{
    public List<string> DaysOfWeek { get; set; } = ["monday", "tuesday", "wednesday", "thursday", "friday"];

    public string StartTime { get; set; } = "08:00:00";

    public string EndTime { get; set; } = "17:00:00";

    /// <summary>Zone of the working hours; null means the mailbox zone (unless <see cref="CustomTimeZone"/> is set).</summary>
    public string? TimeZoneName { get; set; }

    public SeedCustomTimeZone? CustomTimeZone { get; set; }
}

/// <summary>Graph's customTimeZone: a legacy zone described by bias and transition rules.</summary>
public sealed class SeedCustomTimeZone
{
    /// <summary>Minutes to add to local time to get UTC (Windows convention: UTC-05:00 is 300).</summary>
    public int Bias { get; set; }

    public string Name { get; set; } = "Customized Time Zone";

    public SeedStandardTimeZoneOffset? StandardOffset { get; set; }

    public SeedDaylightTimeZoneOffset? DaylightOffset { get; set; }
}

public class SeedStandardTimeZoneOffset
{
    public string Time { get; set; } = "02:00:00";

    public int DayOccurrence { get; set; }

    public string DayOfWeek { get; set; } = "sunday";

    public int Month { get; set; }

    public int Year { get; set; }
}

public sealed class SeedDaylightTimeZoneOffset : SeedStandardTimeZoneOffset
{
    public int DaylightBias { get; set; }
}

/// <summary>
/// A concrete event (occurrences are listed one by one). Listed on one user's calendar; copies are mirrored onto
/// the organizer's and attendees' calendars when they are tenant users.
/// </summary>
public sealed class SeedEvent
{
    public string? Id { get; set; }

    public string? ICalUId { get; set; }

    public string Subject { get; set; } = "";

    public string? Body { get; set; }

    public DateTimeOffset Start { get; set; }

    public DateTimeOffset End { get; set; }

    public string OrganizerMail { get; set; } = "";

    public List<SeedAttendee> Attendees { get; set; } = [];

    public bool IsCancelled { get; set; }

    public bool IsAllDay { get; set; }

    public string ShowAs { get; set; } = "busy";

    public string Type { get; set; } = "singleInstance";

    public string? SeriesMasterId { get; set; }

    public string Sensitivity { get; set; } = "normal";

    public List<string>? Categories { get; set; }
}

public sealed class SeedAttendee
{
    public string Mail { get; set; } = "";

    public string Type { get; set; } = "required";

    /// <summary>responseStatus.response on this attendee's copy: accepted, tentativelyAccepted, declined, notResponded, none.</summary>
    public string Response { get; set; } = "accepted";
}
