using BossTalkCalendar.Core.Calendar;

namespace BossTalkCalendar.Benchmarks;

/// <summary>
/// Deterministic synthetic calendars: the same seed gives the same events on every machine and run, so
/// figures from different runs measure the same work.
/// </summary>
internal static class CalendarGenerator
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    // Roughly what a busy knowledge worker's free/busy shows: mostly busy, some tentative invitations,
    // a few items that do not block (free, working elsewhere), rare unknown and out-of-office items.
    private static readonly (ShowAs Status, int Weight)[] Mix =
    [
        (ShowAs.Busy, 55),
        (ShowAs.Tentative, 15),
        (ShowAs.Free, 12),
        (ShowAs.WorkingElsewhere, 10),
        (ShowAs.Unknown, 5),
        (ShowAs.Oof, 3),
    ];

    /// <summary>
    /// <paramref name="count"/> events of 15–90 min (5-min steps) inside the working windows of
    /// <paramref name="days"/> days from <paramref name="firstDay"/>, on 5-min local starts, with mixed statuses,
    /// in generation order (so unsorted, and free to overlap).
    /// </summary>
    public static BusyInterval[] Generate(int seed, int count, WorkingHours hours, DateOnly firstDay, int days, bool allowOutOfOffice)
    {
        var random = new Random(seed);
        var workingDays = Enumerable.Range(0, days)
            .Select(firstDay.AddDays)
            .Where(d => WorkingTime.IsWorkingDay(hours, d))
            .ToArray();
        var events = new BusyInterval[count];
        for (var i = 0; i < count; i++)
        {
            var window = WorkingTime.WindowOn(hours, workingDays[random.Next(workingDays.Length)])
                ?? throw new InvalidOperationException("A working day without a window.");
            var duration = TimeSpan.FromMinutes(15 + (5 * random.Next(0, 16)));
            var slots = (int)((window.Duration - duration) / Step);
            var start = window.Start + (Step * random.Next(0, slots + 1));
            events[i] = new BusyInterval(new Interval(start, start + duration), PickStatus(random, allowOutOfOffice));
        }

        return events;
    }

    /// <summary>An all-day out-of-office item on <paramref name="date"/> in the hours' zone (local midnight to midnight).</summary>
    public static BusyInterval AllDayOutOfOffice(WorkingHours hours, DateOnly date) => new(
        new Interval(
            TimeZones.ToInstant(hours.TimeZone, date.ToDateTime(TimeOnly.MinValue), AmbiguousTime.Earlier),
            TimeZones.ToInstant(hours.TimeZone, date.AddDays(1).ToDateTime(TimeOnly.MinValue), AmbiguousTime.Earlier)),
        ShowAs.Oof);

    private static ShowAs PickStatus(Random random, bool allowOutOfOffice)
    {
        var total = Mix.Sum(m => allowOutOfOffice || m.Status != ShowAs.Oof ? m.Weight : 0);
        var roll = random.Next(total);
        foreach (var (status, weight) in Mix)
        {
            if (!allowOutOfOffice && status == ShowAs.Oof)
            {
                continue;
            }

            if (roll < weight)
            {
                return status;
            }

            roll -= weight;
        }

        return ShowAs.Busy;
    }
}
