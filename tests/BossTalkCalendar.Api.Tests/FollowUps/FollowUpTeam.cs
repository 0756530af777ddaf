using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Api.Tests.FollowUps;

/// <summary>
/// A team for the add-in API around Wednesday 4 March 2026, 14:00 UTC: a manager in Berlin (Windows zone name) and
/// reports in Berlin and New York, each with a one-on-one that ended this morning. New York moves to summer time on
/// Sunday 8 March, Berlin not before the 29th. The manager has a busy Thursday, is out of office on Friday and has
/// a half-booked Monday; the New York reports are busy all Thursday, so their follow-ups land after the DST change.
/// </summary>
public static class FollowUpTeam
{
    public const string TenantId = "f0110000-0000-4000-8000-000000000000";
    public const string Secret = "SECRET-AGENDA";

    public static readonly DateTimeOffset Now = new(2026, 3, 4, 14, 0, 0, TimeSpan.Zero);

    public static readonly Member Manager = new("f0110000-0000-4000-8000-000000000001", "manager@followup.test", "W. Europe Standard Time", TenantBuilder.WeekDays, "09:00:00", "17:30:00");

    public static readonly Member NewYorkA = new("f0110000-0000-4000-8000-00000000000a", "a.newyork@followup.test", "Eastern Standard Time", TenantBuilder.WeekDays, "08:30:00", "17:00:00");

    public static readonly Member BerlinB = new("f0110000-0000-4000-8000-00000000000b", "b.berlin@followup.test", "Europe/Berlin", TenantBuilder.WeekDays, "08:00:00", "16:30:00");

    public static readonly Member NewYorkC = new("f0110000-0000-4000-8000-00000000000c", "c.newyork@followup.test", "America/New_York", TenantBuilder.WeekDays, "09:00:00", "17:30:00");

    public static readonly Member BerlinD = new("f0110000-0000-4000-8000-00000000000d", "d.berlin@followup.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00");

    public static readonly Member NewYorkE = new("f0110000-0000-4000-8000-00000000000e", "e.newyork@followup.test", "Eastern Standard Time", TenantBuilder.WeekDays, "08:00:00", "16:30:00");

    public static readonly Member BerlinF = new("f0110000-0000-4000-8000-00000000000f", "f.berlin@followup.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00");

    /// <summary>Has the odd meetings: a three-person one, a declined one-on-one, one still running, a series.</summary>
    public static readonly Member BerlinG = new("f0110000-0000-4000-8000-000000000010", "g.berlin@followup.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00");

    /// <summary>In the directory with the same manager, but not enrolled.</summary>
    public static readonly Member Outsider = new("f0110000-0000-4000-8000-000000000011", "outsider@followup.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00");

    public static IReadOnlyList<Member> Reports { get; } = [NewYorkA, BerlinB, NewYorkC, BerlinD, NewYorkE, BerlinF, BerlinG, Outsider];

    public static IReadOnlyList<Member> Enrolled { get; } = [NewYorkA, BerlinB, NewYorkC, BerlinD, NewYorkE, BerlinF, BerlinG];

    /// <summary>When each report's one-on-one ended (UTC, this morning).</summary>
    public static DateTimeOffset OneOnOneEnd(Member report) => At(4, 8 + Reports.ToList().IndexOf(report) % 5, 30);

    /// <summary>The id of the report's own copy of their one-on-one: they organised it, so the id is ours to choose.</summary>
    public static string OneOnOneId(Member report) => $"AAMkADfollowup-{report.Id[^2..]}_one-on-one_AAA=";

    public const string ThreePeopleId = "AAMkADfollowup-g_three-people-AAA=";
    public const string DeclinedId = "AAMkADfollowup-g_declined-AAA=";
    public const string RunningId = "AAMkADfollowup-g_running-AAA=";
    public const string SeriesId = "AAMkADfollowup-g_series-AAA=";

    public static TenantSeed Build()
    {
        var tenant = new TenantBuilder(TenantId, Secret).Add(null, Manager).Add(Manager, Reports);

        foreach (var report in Reports)
        {
            var end = OneOnOneEnd(report);
            tenant.Meeting(OneOnOneId(report), report, end - TimeSpan.FromMinutes(30), end, [Manager]);
        }

        tenant.Meeting(ThreePeopleId, BerlinG, At(4, 7, 0), At(4, 7, 30), [Manager, BerlinB]);
        tenant.Meeting(DeclinedId, BerlinG, At(4, 12, 0), At(4, 12, 30), [Manager], ownResponse: "declined");
        tenant.Meeting(RunningId, BerlinG, At(4, 13, 45), At(4, 14, 15), [Manager]);
        tenant.Meeting(SeriesId, BerlinG, At(2, 15, 0), At(2, 15, 30), [Manager]).Type = "seriesMaster";

        // The manager (Berlin is UTC+1): Thursday 09:00–10:30, 11:00–12:00, 13:00–14:00 tentative, 14:50–15:00, 16:00–16:40;
        // Friday out of office in the morning (which makes the whole day unavailable); Monday 09:00–09:50, 10:00–12:00, 13:00–15:00.
        tenant
            .Busy(Manager, At(5, 8, 0), At(5, 9, 30), "busy")
            .Busy(Manager, At(5, 10, 0), At(5, 11, 0), "busy")
            .Busy(Manager, At(5, 12, 0), At(5, 13, 0), "tentative")
            .Busy(Manager, At(5, 13, 50), At(5, 14, 0), "busy")
            .Busy(Manager, At(5, 15, 0), At(5, 15, 40), "busy")
            .Busy(Manager, At(6, 8, 0), At(6, 11, 0), "oof")
            .Busy(Manager, At(9, 8, 0), At(9, 8, 50), "busy")
            .Busy(Manager, At(9, 9, 0), At(9, 11, 0), "busy")
            .Busy(Manager, At(9, 12, 0), At(9, 14, 0), "busy");

        // New York (UTC-5 until Sunday): busy all of Thursday's working day.
        foreach (var report in new[] { NewYorkA, NewYorkC, NewYorkE })
        {
            tenant.Busy(report, At(5, 13, 0), At(5, 22, 30), "busy");
        }

        // Berlin reports: a few things on Thursday, one shown as free (it must not block).
        return tenant
            .Busy(BerlinB, At(5, 9, 45), At(5, 10, 0), "busy")
            .Busy(BerlinD, At(5, 13, 30), At(5, 14, 0), "busy")
            .Busy(BerlinD, At(5, 10, 0), At(5, 12, 0), "free")
            .Busy(BerlinF, At(5, 9, 0), At(5, 10, 30), "busy")
            .Build();
    }

    /// <summary>A UTC time in the week of 2 March 2026.</summary>
    public static DateTimeOffset At(int day, int hour, int minute) => new(2026, 3, day, hour, minute, 0, TimeSpan.Zero);
}
