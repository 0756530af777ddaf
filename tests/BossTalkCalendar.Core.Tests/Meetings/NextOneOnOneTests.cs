using System.Collections.Concurrent;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Meetings;
using CsCheck;
using static BossTalkCalendar.Core.Tests.Support.Zones;

namespace BossTalkCalendar.Core.Tests.Meetings;

public class NextOneOnOneTests
{
    private const string Owner = "ana@contoso.example";
    private const string Manager = "mia@contoso.example";
    private const string Colleague = "leo@contoso.example";
    private static readonly DateTimeOffset Monday = Utc("2025-06-16 09:00");

    private static bool WithManager(Meeting meeting) => meeting.OrganizerEmail == Manager;

    private static Meeting Item(
        string id,
        DateTimeOffset start,
        EventKind kind = EventKind.SingleInstance,
        string? series = null,
        string organizer = Manager,
        bool cancelled = false,
        string? ours = null,
        string? iCalUId = null) =>
        new(
            id,
            iCalUId ?? "ical-" + id,
            kind,
            series,
            start,
            start.AddMinutes(30),
            organizer,
            IsOrganizer: organizer == Owner,
            [new Attendee(Owner, AttendeeType.Required, Response.Accepted)],
            Response.Accepted,
            cancelled,
            IsAllDay: false,
            ShowAs.Busy,
            ours);

    private static Meeting Occurrence(int week, TimeSpan moved = default, bool cancelled = false, string series = "s1") =>
        Item(
            $"{series}-{week}",
            Monday.AddDays(7 * week) + moved,
            moved == TimeSpan.Zero ? EventKind.Occurrence : EventKind.Exception,
            series,
            cancelled: cancelled,
            iCalUId: $"ical-{series}-{week}");

    private static Meeting? Pick(Meeting last, params Meeting[] calendar) =>
        NextOneOnOne.Pick(last, calendar, WithManager, last.End);

    [Fact]
    public void Pick_TakesNextOccurrence_OfTheSameSeries()
    {
        var next = Occurrence(1);
        Assert.Same(next, Pick(Occurrence(0), Occurrence(0), Occurrence(2), next));
    }

    [Fact]
    public void Pick_TakesNextOccurrence_WhenMovedEarlier()
    {
        var moved = Occurrence(1, moved: TimeSpan.FromDays(-4));
        Assert.Same(moved, Pick(Occurrence(0), Occurrence(2), moved));
    }

    [Fact]
    public void Pick_TakesNextOccurrence_WhenMovedLater_EvenPastAOneOffWithTheManager()
    {
        var moved = Occurrence(1, moved: TimeSpan.FromDays(3));
        var oneOff = Item("one-off", Monday.AddDays(2));
        Assert.Same(moved, Pick(Occurrence(0), oneOff, Occurrence(2), moved));
    }

    [Fact]
    public void Pick_TakesTheOneAfter_WhenTheNextOccurrenceIsCancelled()
    {
        var after = Occurrence(2);
        Assert.Same(after, Pick(Occurrence(0), Occurrence(1, cancelled: true), after, Occurrence(3)));
    }

    [Fact]
    public void Pick_SkipsSeriesMasterAndOtherCopiesOfTheLastMeeting()
    {
        var last = Occurrence(0);
        var master = Item("s1", Monday, EventKind.SeriesMaster);
        var organizerCopy = Item("other-copy", last.Start, EventKind.Occurrence, "s1", iCalUId: last.ICalUId);
        var next = Occurrence(1);
        Assert.Same(next, Pick(last, master, organizerCopy, last, next));

        // A last meeting with no length: its other copy starts exactly where the search starts and is still itself.
        var instant = Item("instant", Monday) with { End = Monday };
        var copy = instant with { EventId = "organizer-copy" };
        var sameTime = Item("same-time", Monday);
        Assert.Same(sameTime, Pick(instant, copy, instant, sameTime));
        Assert.Null(Pick(instant, copy, instant));

        // The same event read again after it was moved to tomorrow is still the last one, not the next.
        var lastOneOff = Item("last-one-off", Monday);
        Assert.Null(Pick(lastOneOff, lastOneOff with { Start = Monday.AddDays(1), End = Monday.AddDays(1).AddMinutes(30) }));
    }

    [Fact]
    public void Pick_UsesTheSeries_UpToFiveWeeksAhead()
    {
        var monthly = Occurrence(4, moved: TimeSpan.FromDays(6)); // 34 days after the last one
        Assert.Same(monthly, Pick(Occurrence(0), monthly));

        // The last one ends at 09:30; an occurrence starting 35 days after that is out of reach, and so is one-off search.
        var edge = Occurrence(5, moved: TimeSpan.FromMinutes(30));
        Assert.Null(Pick(Occurrence(0), edge));
        var justInReach = Occurrence(5, moved: TimeSpan.FromMinutes(29));
        Assert.Same(justInReach, Pick(Occurrence(0), edge, justInReach));
    }

    [Fact]
    public void Pick_FallsBackToOneOff_WhenTheSeriesHasNoNextOccurrenceInReach()
    {
        var oneOff = Item("one-off", Monday.AddDays(13));
        Assert.Same(oneOff, Pick(Occurrence(0), Occurrence(6), oneOff));
    }

    [Fact]
    public void Pick_TakesNextOneOnOneWithTheSameCounterpart_WhenThereIsNoSeries()
    {
        var last = Item("last", Monday);
        var next = Item("next", Monday.AddDays(5));
        var unrelated = Item("unrelated", Monday.AddDays(1), organizer: Colleague);
        Assert.Same(next, Pick(last, unrelated, Item("later", Monday.AddDays(9)), next));
    }

    [Fact]
    public void Pick_TakesOtherSeriesWithTheManager_OnlyThroughThePredicate()
    {
        var last = Item("last", Monday);
        var newSeries = Occurrence(1, series: "s9");
        Assert.Same(newSeries, Pick(last, newSeries));
        Assert.Null(NextOneOnOne.Pick(last, [newSeries], _ => false, last.End));
    }

    [Fact]
    public void Pick_LooksFourteenDaysAhead_ForOneOffs()
    {
        var last = Item("last", Monday);
        var inReach = Item("in-reach", last.End.AddDays(14).AddMinutes(-1));
        Assert.Same(inReach, Pick(last, inReach));
        Assert.Null(Pick(last, Item("too-far", last.End.AddDays(14))));
    }

    [Fact]
    public void Pick_ReturnsNull_WhenNothingFollows()
    {
        Assert.Null(Pick(Item("last", Monday)));
        Assert.Null(Pick(Item("last", Monday), Item("before", Monday.AddDays(-1)), Item("colleague", Monday.AddDays(1), organizer: Colleague)));
        Assert.Null(Pick(Occurrence(0), Occurrence(1, cancelled: true), Item("cancelled", Monday.AddDays(2), cancelled: true)));
    }

    [Fact]
    public void Pick_NeverTakesOurOwnEvents()
    {
        var prep = Item("prep", Monday.AddDays(1), EventKind.Occurrence, "s1", ours: "prep|ical-s1-1");
        var reflection = Item("reflection", Monday.AddHours(3), ours: "reflection|ical-s1-0");
        var next = Occurrence(1);
        Assert.Same(next, Pick(Occurrence(0), prep, reflection, next));
        Assert.Null(Pick(Occurrence(0), prep, reflection));
    }

    [Fact]
    public void Pick_StartsLookingAtNow_WhenNowIsAfterTheLastMeeting()
    {
        var last = Item("last", Monday);
        var early = Item("early", Monday.AddDays(1));
        var atNow = Item("at-now", Monday.AddDays(2));
        Assert.Same(atNow, NextOneOnOne.Pick(last, [early, atNow], WithManager, atNow.Start));
        Assert.Same(early, NextOneOnOne.Pick(last, [atNow, early], WithManager, Monday));
    }

    [Fact]
    public void Pick_PrefersTheFirstListed_WhenTwoStartTogether()
    {
        var last = Item("last", Monday);
        var first = Item("first", Monday.AddDays(1));
        var second = Item("second", Monday.AddDays(1));
        Assert.Same(first, Pick(last, first, second));
        Assert.Same(second, Pick(last, second, first));
    }

    [Fact]
    public void Pick_EqualsOracle_OnRandomCalendars()
    {
        var outcomes = new ConcurrentDictionary<string, int>();
        Calendars.Sample(
            testCase =>
            {
                var expected = Oracle(testCase.Last, testCase.Calendar, WithManager, testCase.Now);
                var actual = NextOneOnOne.Pick(testCase.Last, testCase.Calendar, WithManager, testCase.Now);
                Assert.Same(expected, actual);
                Assert.True(actual is null || (!actual.IsOurs && !actual.IsCancelled && actual.Start >= testCase.Now), "picked an excluded item");
                var key = actual switch
                {
                    null => "none",
                    { SeriesMasterId: "s1", Kind: EventKind.Exception } => "moved occurrence",
                    { SeriesMasterId: "s1" } => "occurrence",
                    _ => "other",
                };
                outcomes.AddOrUpdate(key, 1, (_, count) => count + 1);
                if (actual?.SeriesMasterId == "s1" && testCase.Calendar.Any(m => m.SeriesMasterId == "s1" && m.IsCancelled && m.Start > testCase.Now && m.Start < actual.Start))
                {
                    outcomes.AddOrUpdate("after a cancelled one", 1, (_, count) => count + 1);
                }
            },
            iter: 2000);

        var summary = string.Join(", ", outcomes.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}: {pair.Value}"));
        foreach (var key in new[] { "none", "moved occurrence", "occurrence", "other", "after a cancelled one" })
        {
            Assert.True(outcomes.GetValueOrDefault(key) > 30, summary);
        }
    }

    /// <summary>The rule read literally: sort by start (stable), take the first eligible series item, else the first eligible 1:1, then check reach.</summary>
    private static Meeting? Oracle(Meeting last, IReadOnlyList<Meeting> calendar, Func<Meeting, bool> predicate, DateTimeOffset now)
    {
        var from = now > last.End ? now : last.End;
        bool Eligible(Meeting m) =>
            !m.IsCancelled && m.OurSource is null && m.Kind != EventKind.SeriesMaster && m.Start >= from
            && m.EventId != last.EventId && !(m.ICalUId == last.ICalUId && m.Start == last.Start);
        var sorted = calendar.Select((meeting, index) => (meeting, index)).OrderBy(x => x.meeting.Start).ThenBy(x => x.index).Select(x => x.meeting).Where(Eligible).ToList();
        if (last.SeriesMasterId is not null
            && sorted.FirstOrDefault(m => m.SeriesMasterId == last.SeriesMasterId) is { } next
            && next.Start < from + TimeSpan.FromDays(35))
        {
            return next;
        }

        return sorted.FirstOrDefault(predicate) is { } other && other.Start < from + TimeSpan.FromDays(14) ? other : null;
    }

    private sealed record CalendarCase(Meeting Last, Meeting[] Calendar, DateTimeOffset Now)
    {
        public override string ToString() =>
            $"last={Describe(Last)} now={Now:O} calendar=[{string.Join("; ", Calendar.Select(Describe))}]";

        private static string Describe(Meeting m) =>
            $"{m.EventId}/{m.ICalUId}/{m.Kind}/{m.SeriesMasterId}/{m.Start:O}/{m.OrganizerEmail}{(m.IsCancelled ? "/cancelled" : "")}{(m.IsOurs ? "/ours" : "")}";
    }

    // A weekly series "s1" with the manager whose occurrences may be moved (up to four days either way) or cancelled,
    // its master, an unrelated weekly series, one-offs with the manager and with a colleague, and our own events
    // (some claiming the series). The last meeting is an occurrence of s1, a one-off with the manager, or a colleague's.
    private static readonly Gen<CalendarCase> Calendars =
        from withSeries in Gen.Bool
        from fates in Gen.Int[0, 9].Array[8]
        from moves in Gen.Int[-96, 96].Array[8]
        from lastWeek in Gen.Int[0, 3]
        from oneOffs in Gen.Select(Gen.Int[0, 40 * 24], Gen.Bool, Gen.Int[0, 6]).Array[0, 6]
        from ours in Gen.Select(Gen.Int[0, 40 * 24], Gen.Bool).Array[0, 3]
        from lastKind in Gen.Int[0, 3]
        from nowHours in Gen.Frequency((1, Gen.Const(0)), (3, Gen.Int[-2, 24]), (1, Gen.Int[0, 20 * 24]))
        from copyOfLast in Gen.Bool
        from zeroLength in Gen.Frequency((3, Gen.Const(false)), (1, Gen.Const(true)))
        from order in Gen.Int.Array[40]
        select Build(withSeries, fates, moves, lastWeek, oneOffs, ours, lastKind, nowHours, copyOfLast, zeroLength, order);

    private static CalendarCase Build(
        bool withSeries, int[] fates, int[] moves, int lastWeek, (int Hours, bool Manager, int Fate)[] oneOffs,
        (int Hours, bool Series)[] ours, int lastKind, int nowHours, bool copyOfLast, bool zeroLength, int[] order)
    {
        var items = new List<Meeting>();
        if (withSeries)
        {
            items.Add(Item("s1", Monday, EventKind.SeriesMaster));
            for (var week = 0; week < fates.Length; week++)
            {
                // Fates: 0–4 plain occurrence, 5–7 moved, 8–9 cancelled (moved or not). Never move the last one.
                var moved = week != lastWeek && fates[week] >= 5 ? TimeSpan.FromHours(moves[week]) : TimeSpan.Zero;
                items.Add(Occurrence(week, moved, cancelled: week != lastWeek && fates[week] >= 8));
            }
        }

        for (var week = 0; week < 6; week++)
        {
            items.Add(Item($"s2-{week}", Monday.AddDays(7 * week).AddHours(2), EventKind.Occurrence, "s2", organizer: Colleague));
        }

        for (var i = 0; i < oneOffs.Length; i++)
        {
            var (hours, manager, fate) = oneOffs[i];
            items.Add(Item($"one-off-{i}", Monday.AddHours(hours), organizer: manager ? Manager : Colleague, cancelled: fate == 0));
        }

        for (var i = 0; i < ours.Length; i++)
        {
            var (hours, series) = ours[i];
            items.Add(Item($"ours-{i}", Monday.AddHours(hours), series ? EventKind.Occurrence : EventKind.SingleInstance, series ? "s1" : null, ours: $"prep|ical-{i}"));
        }

        var last = withSeries && lastKind < 2
            ? items.First(m => m.EventId == $"s1-{lastWeek}")
            : Item("last", Monday.AddDays(lastWeek * 2), organizer: lastKind == 3 ? Colleague : Manager);
        items.Remove(last);
        if (zeroLength)
        {
            // Only then can another copy of the last meeting start at or after the search start (with now at its end).
            last = last with { End = last.Start };
        }

        items.Add(last);

        if (copyOfLast)
        {
            items.Add(last with { EventId = "copy-of-last" });
        }

        var shuffled = items.Select((item, index) => (item, key: (long)order[index % order.Length] + index)).OrderBy(x => x.key).Select(x => x.item).ToArray();
        return new CalendarCase(last, shuffled, last.End.AddHours(nowHours));
    }
}
