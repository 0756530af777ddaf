using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Testing;

/// <summary>
/// The one way tests build a simulated tenant: people (<see cref="Member"/>) with their managers, and the events on
/// their calendars. Subjects and bodies carry <see cref="Secret"/>, so tests can prove the service never stores or logs
/// them. The named teams (<see cref="TestTeam"/> here; <c>Rollout/RolloutTenant</c> and <c>FollowUps/FollowUpTeam</c> in
/// Api.Tests) and the generated ones (<see cref="LargeTenant"/>, <see cref="RandomTenant"/>, <see cref="ReliabilityTenant"/>)
/// are written with it; they only hold the ids, addresses and instants the tests assert on.
/// </summary>
public sealed class TenantBuilder(string tenantId, string secret)
{
    public static readonly IReadOnlyList<string> WeekDays = ["monday", "tuesday", "wednesday", "thursday", "friday"];
    public static readonly IReadOnlyList<string> AllDays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    private readonly List<SeedUser> _users = [];

    public string TenantId => tenantId;

    public string Secret => secret;

    /// <summary>Adds people to the directory, reporting to <paramref name="manager"/> (none when null).</summary>
    public TenantBuilder Add(Member? manager, params IEnumerable<Member> members)
    {
        _users.AddRange(members.Select(m => m.ToSeed(manager?.Id)));
        return this;
    }

    /// <summary>The seed of someone added before, for what this builder does not say.</summary>
    public SeedUser Of(Member member) => _users.Single(u => u.Id == member.Id);

    /// <summary>
    /// A one-on-one <paramref name="organizer"/> organised with <paramref name="attendee"/>, on the organiser's calendar:
    /// subject "1:1 secret" (plus the attendee's address when <paramref name="subjectWithMail"/>), agenda in the body
    /// when <paramref name="withBody"/>.
    /// </summary>
    public TenantBuilder OneOnOne(
        Member organizer, Member attendee, DateTimeOffset start, DateTimeOffset end, string response = "accepted", bool subjectWithMail = false, bool withBody = true)
    {
        Of(organizer).Events.Add(new SeedEvent
        {
            Subject = subjectWithMail ? $"1:1 {secret} {attendee.Mail}" : $"1:1 {secret}",
            Body = withBody ? $"Agenda: {secret}" : null,
            Start = start,
            End = end,
            OrganizerMail = organizer.Mail,
            Attendees = [new SeedAttendee { Mail = attendee.Mail, Response = response }],
        });
        return this;
    }

    /// <summary>
    /// A meeting with a chosen id that <paramref name="organizer"/> organised with <paramref name="others"/> (who
    /// accepted), on the organiser's calendar; the organiser is an attendee too, answering <paramref name="ownResponse"/>.
    /// </summary>
    public SeedEvent Meeting(string id, Member organizer, DateTimeOffset start, DateTimeOffset end, IEnumerable<Member> others, string ownResponse = "accepted")
    {
        var meeting = new SeedEvent
        {
            Id = id,
            Subject = $"1:1 {secret}",
            Body = $"Agenda: {secret}",
            Start = start,
            End = end,
            OrganizerMail = organizer.Mail,
            Attendees = [.. others.Select(o => new SeedAttendee { Mail = o.Mail, Response = "accepted" }),
                new SeedAttendee { Mail = organizer.Mail, Response = ownResponse }],
        };
        Of(organizer).Events.Add(meeting);
        return meeting;
    }

    /// <summary>Something of <paramref name="member"/>'s own, shown as <paramref name="showAs"/>.</summary>
    public TenantBuilder Busy(Member member, DateTimeOffset start, DateTimeOffset end, string showAs = "busy")
    {
        Of(member).Events.Add(new SeedEvent
        {
            Subject = $"Busy {secret}",
            Start = start,
            End = end,
            OrganizerMail = member.Mail,
            ShowAs = showAs,
        });
        return this;
    }

    public TenantSeed Build() => new() { TenantId = tenantId, Users = [.. _users] };
}

/// <summary>
/// Someone in the directory: id, address, time zone (IANA or Windows), working hours and the mailbox's locale
/// (mailboxSettings.language.locale, en-US unless given).
/// </summary>
public sealed record Member(string Id, string Mail, string Zone, IReadOnlyList<string> Days, string Start, string End, string Locale = "en-US")
{
    public SeedUser ToSeed(string? managerId) => new()
    {
        Id = Id,
        DisplayName = "Test " + Mail,
        Mail = Mail,
        UserPrincipalName = Mail,
        ManagerId = managerId,
        TimeZone = Zone,
        Locale = Locale,
        WorkingHours = new SeedWorkingHours
        {
            DaysOfWeek = [.. Days],
            StartTime = Start,
            EndTime = End,
            TimeZoneName = Zone,
        },
    };
}
