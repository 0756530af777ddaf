using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Testing;

/// <summary>Checks on what the simulator's calendars hold, the way a user would see them in Outlook.</summary>
public static class CalendarAssert
{
    public const string Category = "BossTalk";

    public static IReadOnlyList<SimEvent> ReflectionsOf(GraphSimulatorHost graph, string userId) =>
        graph.Tenant.EventsOf(userId).Where(e => e.Categories.Contains(Category) && !e.IsCancelled).ToList();

    /// <summary>
    /// Exactly one reflection: private, no attendees, our category, inside the member's working hours in their own
    /// zone, after the cool-down, and overlapping nothing that shows busy, tentative or out of office.
    /// </summary>
    public static SimEvent SingleReflectionInWorkingTime(GraphSimulatorHost graph, string userId, string zoneName, IReadOnlyList<string> days, string dayStart, string dayEnd, DateTimeOffset notBefore)
    {
        var calendar = graph.Tenant.EventsOf(userId);
        var reflection = Assert.Single(ReflectionsOf(graph, userId));
        Assert.Equal("private", reflection.Sensitivity, ignoreCase: true);
        Assert.Empty(reflection.Attendees);
        Assert.True(reflection.IsReminderOn);
        Assert.False(string.IsNullOrEmpty(reflection.TransactionId));

        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneName);
        var localStart = TimeZoneInfo.ConvertTime(reflection.Start, zone);
        var localEnd = TimeZoneInfo.ConvertTime(reflection.End, zone);
        Assert.Contains(localStart.DayOfWeek.ToString(), days, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(localStart.Date, localEnd.Date);
        Assert.InRange(TimeOnly.FromTimeSpan(localStart.TimeOfDay), TimeOnly.Parse(dayStart, System.Globalization.CultureInfo.InvariantCulture), TimeOnly.MaxValue);
        Assert.InRange(TimeOnly.FromTimeSpan(localEnd.TimeOfDay), TimeOnly.MinValue, TimeOnly.Parse(dayEnd, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(reflection.Start >= notBefore, $"The reflection starts at {reflection.Start:O}, before {notBefore:O}.");

        foreach (var other in calendar.Where(e => e.Id != reflection.Id && !e.IsCancelled && !string.Equals(e.ShowAs, "free", StringComparison.OrdinalIgnoreCase)))
        {
            var overlaps = reflection.Start < other.End && other.Start < reflection.End;
            Assert.False(overlaps, $"The reflection {reflection.Start:O}–{reflection.End:O} overlaps an item shown as {other.ShowAs} at {other.Start:O}–{other.End:O}.");
        }

        return reflection;
    }

    /// <summary>
    /// Every member of <paramref name="tenant"/> has exactly one block per due one-on-one (distinct transactionIds),
    /// and no block overlaps anything else on their calendar that is not free, their other blocks included.
    /// </summary>
    /// <returns>How many blocks there are.</returns>
    public static int EachDueReflectionOnceOverlappingNothing(GraphSimulatorHost graph, RandomTenant tenant)
    {
        var blocks = 0;
        foreach (var (member, due) in tenant.Members)
        {
            var calendar = graph.Tenant.EventsOf(member.Id).Where(e => !e.IsCancelled).ToList();
            var reflections = ReflectionsOf(graph, member.Id);
            blocks += reflections.Count;
            Assert.True(due == reflections.Count, $"User {member.Id} has {reflections.Count} blocks for {due} due one-on-ones.");
            Assert.Equal(due, reflections.Select(r => r.TransactionId).Distinct(StringComparer.Ordinal).Count());
            foreach (var reflection in reflections)
            {
                foreach (var other in calendar.Where(e => e.Id != reflection.Id && !string.Equals(e.ShowAs, "free", StringComparison.OrdinalIgnoreCase)))
                {
                    Assert.False(
                        reflection.Start < other.End && other.Start < reflection.End,
                        $"User {member.Id}: the block {reflection.Start:O}–{reflection.End:O} overlaps {(other.Categories.Contains(Category) ? "another BossTalk block" : "an item shown as " + other.ShowAs)} at {other.Start:O}–{other.End:O}.");
                }
            }
        }

        return blocks;
    }
}
