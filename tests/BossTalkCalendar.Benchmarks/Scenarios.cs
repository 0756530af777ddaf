using System.Globalization;
using System.Text;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Scheduling;

namespace BossTalkCalendar.Benchmarks;

/// <summary>The reflection finder's input: one user's 14-day calendar of 200 events.</summary>
internal sealed class ReflectionScenario
{
    public const int Seed = 20260601;
    public const int EventCount = 200;
    public const int Days = 14;

    public static readonly DateOnly FirstDay = new(2026, 6, 1);

    private ReflectionScenario(WorkingHours hours, BusyInterval[] busy, DateTimeOffset meetingEnd)
    {
        Hours = hours;
        Busy = busy;
        MeetingEnd = meetingEnd;
    }

    public WorkingHours Hours { get; }

    public IReadOnlyList<BusyInterval> Busy { get; }

    public DateTimeOffset MeetingEnd { get; }

    /// <summary>The job runs a few minutes after the meeting, as the sweep would.</summary>
    public DateTimeOffset Now => MeetingEnd.AddMinutes(7);

    public static ReflectionScenario Create()
    {
        var hours = Zones.Weekdays("Europe/Berlin");
        var busy = CalendarGenerator.Generate(Seed, EventCount, hours, FirstDay, Days, allowOutOfOffice: true);
        var meetingEnd = TimeZones.ToInstant(hours.TimeZone, new DateTime(2026, 6, 8, 9, 30, 0), AmbiguousTime.Earlier);
        return new ReflectionScenario(hours, busy, meetingEnd);
    }

    public SlotResult Find() => ReflectionSlotFinder.Find(MeetingEnd, Now, Hours, Busy, ReflectionPolicy.Default);

    public string Describe()
    {
        var result = Find();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Reflection: {Busy.Count} events, {Busy.Count(b => b.Blocks)} blocking, {Days} days from {FirstDay:yyyy-MM-dd} ({Hours.TimeZone.Id})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  meeting end {MeetingEnd:yyyy-MM-dd HH:mm zzz}, now {Now:HH:mm}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  result: {Format(result)}");
        return text.ToString();
    }

    internal static string Format(SlotResult result) => result.Slot is { } slot
        ? string.Create(CultureInfo.InvariantCulture, $"{slot.Start:ddd yyyy-MM-dd HH:mm zzz} – {slot.End:HH:mm}")
        : result.Reason.ToString();
}

/// <summary>The follow-up finder's input: a user in Berlin and a manager in New York, 500 events each.</summary>
internal sealed class FollowUpScenario
{
    public const int UserSeed = 20260602;
    public const int ManagerSeed = 20260603;
    public const int EventCount = 500;
    public const int Days = 14;

    public static readonly DateOnly FirstDay = new(2026, 6, 1);
    public static readonly DateOnly ManagerDayOff = new(2026, 6, 3);

    private FollowUpScenario(WorkingHours user, BusyInterval[] userBusy, WorkingHours manager, BusyInterval[] managerBusy, DateTimeOffset meetingEnd)
    {
        User = user;
        UserBusy = userBusy;
        Manager = manager;
        ManagerBusy = managerBusy;
        MeetingEnd = meetingEnd;
    }

    public WorkingHours User { get; }

    public IReadOnlyList<BusyInterval> UserBusy { get; }

    public WorkingHours Manager { get; }

    public IReadOnlyList<BusyInterval> ManagerBusy { get; }

    public DateTimeOffset MeetingEnd { get; }

    /// <summary>The user answers the nudge an hour after the one-on-one.</summary>
    public DateTimeOffset Now => MeetingEnd.AddHours(1);

    public static FollowUpScenario Create(DateOnly meetingDay)
    {
        var user = Zones.Weekdays("Europe/Berlin");
        var manager = Zones.Weekdays("America/New_York");
        var userBusy = CalendarGenerator.Generate(UserSeed, EventCount, user, FirstDay, Days, allowOutOfOffice: true);
        var managerBusy = CalendarGenerator.Generate(ManagerSeed, EventCount, manager, FirstDay, Days, allowOutOfOffice: false);

        // The manager takes one day off in the first horizon: an all-day out-of-office item, as Outlook makes it.
        managerBusy[^1] = CalendarGenerator.AllDayOutOfOffice(manager, ManagerDayOff);
        var meetingEnd = TimeZones.ToInstant(manager.TimeZone, meetingDay.ToDateTime(new TimeOnly(10, 0)), AmbiguousTime.Earlier);
        return new FollowUpScenario(user, userBusy, manager, managerBusy, meetingEnd);
    }

    public SlotResult Find() => FollowUpSlotFinder.Find(
        MeetingEnd, Now, FollowUpPolicy.Default.CasualDuration, User, UserBusy, Manager, ManagerBusy, FollowUpPolicy.Default);

    public string Describe()
    {
        var result = Find();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Follow-up: user {User.TimeZone.Id} {UserBusy.Count} events, manager {Manager.TimeZone.Id} {ManagerBusy.Count} events, {Days} days from {FirstDay:yyyy-MM-dd}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  meeting end {MeetingEnd:yyyy-MM-dd HH:mm zzz}, now {Now:HH:mm}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  result: {ReflectionScenario.Format(result)}");
        return text.ToString();
    }
}

internal static class Zones
{
    public static WorkingHours Weekdays(string zone) => new(
        new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday },
        new TimeOnly(9, 0),
        new TimeOnly(17, 0),
        TimeZones.FindByName(zone));
}
