using BossTalkCalendar.Api.Tests.Jobs;
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

    private static readonly string[] WeekDays = ["monday", "tuesday", "wednesday", "thursday", "friday"];

    public static readonly Member Manager = new("f0110000-0000-4000-8000-000000000001", "manager@followup.test", "W. Europe Standard Time", WeekDays, "09:00:00", "17:30:00");

    public static readonly Member NewYorkA = new("f0110000-0000-4000-8000-00000000000a", "a.newyork@followup.test", "Eastern Standard Time", WeekDays, "08:30:00", "17:00:00");

    public static readonly Member BerlinB = new("f0110000-0000-4000-8000-00000000000b", "b.berlin@followup.test", "Europe/Berlin", WeekDays, "08:00:00", "16:30:00");

    public static readonly Member NewYorkC = new("f0110000-0000-4000-8000-00000000000c", "c.newyork@followup.test", "America/New_York", WeekDays, "09:00:00", "17:30:00");

    public static readonly Member BerlinD = new("f0110000-0000-4000-8000-00000000000d", "d.berlin@followup.test", "Europe/Berlin", WeekDays, "09:00:00", "17:30:00");

    public static readonly Member NewYorkE = new("f0110000-0000-4000-8000-00000000000e", "e.newyork@followup.test", "Eastern Standard Time", WeekDays, "08:00:00", "16:30:00");

    public static readonly Member BerlinF = new("f0110000-0000-4000-8000-00000000000f", "f.berlin@followup.test", "Europe/Berlin", WeekDays, "09:00:00", "17:30:00");

    /// <summary>Has the odd meetings: a three-person one, a declined one-on-one, one still running, a series.</summary>
    public static readonly Member BerlinG = new("f0110000-0000-4000-8000-000000000010", "g.berlin@followup.test", "Europe/Berlin", WeekDays, "09:00:00", "17:30:00");

    /// <summary>In the directory with the same manager, but not enrolled.</summary>
    public static readonly Member Outsider = new("f0110000-0000-4000-8000-000000000011", "outsider@followup.test", "Europe/Berlin", WeekDays, "09:00:00", "17:30:00");

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
        var manager = Manager.ToSeed(null);
        var users = new List<SeedUser> { manager };
        users.AddRange(Reports.Select(r => r.ToSeed(Manager.Id)));
        SeedUser Of(Member member) => users.Single(u => u.Id == member.Id);

        foreach (var report in Reports)
        {
            var end = OneOnOneEnd(report);
            Of(report).Events.Add(Meeting(OneOnOneId(report), report, end - TimeSpan.FromMinutes(30), end, [Manager]));
        }

        var g = Of(BerlinG);
        g.Events.Add(Meeting(ThreePeopleId, BerlinG, At(4, 7, 0), At(4, 7, 30), [Manager, BerlinB]));
        g.Events.Add(Meeting(DeclinedId, BerlinG, At(4, 12, 0), At(4, 12, 30), [Manager], ownResponse: "declined"));
        g.Events.Add(Meeting(RunningId, BerlinG, At(4, 13, 45), At(4, 14, 15), [Manager]));
        var series = Meeting(SeriesId, BerlinG, At(2, 15, 0), At(2, 15, 30), [Manager]);
        series.Type = "seriesMaster";
        g.Events.Add(series);

        // The manager (Berlin is UTC+1): Thursday 09:00–10:30, 11:00–12:00, 13:00–14:00 tentative, 14:50–15:00, 16:00–16:40;
        // Friday out of office in the morning (which makes the whole day unavailable); Monday 09:00–09:50, 10:00–12:00, 13:00–15:00.
        Own(manager, Manager, At(5, 8, 0), At(5, 9, 30), "busy");
        Own(manager, Manager, At(5, 10, 0), At(5, 11, 0), "busy");
        Own(manager, Manager, At(5, 12, 0), At(5, 13, 0), "tentative");
        Own(manager, Manager, At(5, 13, 50), At(5, 14, 0), "busy");
        Own(manager, Manager, At(5, 15, 0), At(5, 15, 40), "busy");
        Own(manager, Manager, At(6, 8, 0), At(6, 11, 0), "oof");
        Own(manager, Manager, At(9, 8, 0), At(9, 8, 50), "busy");
        Own(manager, Manager, At(9, 9, 0), At(9, 11, 0), "busy");
        Own(manager, Manager, At(9, 12, 0), At(9, 14, 0), "busy");

        // New York (UTC-5 until Sunday): busy all of Thursday's working day.
        foreach (var report in new[] { NewYorkA, NewYorkC, NewYorkE })
        {
            Own(Of(report), report, At(5, 13, 0), At(5, 22, 30), "busy");
        }

        // Berlin reports: a few things on Thursday, one shown as free (it must not block).
        Own(Of(BerlinB), BerlinB, At(5, 9, 45), At(5, 10, 0), "busy");
        Own(Of(BerlinD), BerlinD, At(5, 13, 30), At(5, 14, 0), "busy");
        Own(Of(BerlinD), BerlinD, At(5, 10, 0), At(5, 12, 0), "free");
        Own(Of(BerlinF), BerlinF, At(5, 9, 0), At(5, 10, 30), "busy");

        return new TenantSeed { TenantId = TenantId, Users = users };
    }

    /// <summary>A UTC time in the week of 2 March 2026.</summary>
    public static DateTimeOffset At(int day, int hour, int minute) => new(2026, 3, day, hour, minute, 0, TimeSpan.Zero);

    private static SeedEvent Meeting(string id, Member organizer, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<Member> others, string ownResponse = "accepted") => new()
    {
        Id = id,
        Subject = $"1:1 {Secret}",
        Body = $"Agenda: {Secret}",
        Start = start,
        End = end,
        OrganizerMail = organizer.Mail,
        Attendees = [.. others.Select(o => new SeedAttendee { Mail = o.Mail, Response = "accepted" }),
            new SeedAttendee { Mail = organizer.Mail, Response = ownResponse }],
    };

    private static void Own(SeedUser user, Member member, DateTimeOffset start, DateTimeOffset end, string showAs) =>
        user.Events.Add(new SeedEvent
        {
            Subject = $"Busy {Secret}",
            Start = start,
            End = end,
            OrganizerMail = member.Mail,
            ShowAs = showAs,
        });
}
