using BossTalkCalendar.Core.Calendar;

namespace BossTalkCalendar.Core.Scheduling;

/// <summary>Finds a follow-up slot when both the user and the manager are free.</summary>
public static class FollowUpSlotFinder
{
    /// <summary>The longest follow-up the finder accepts.</summary>
    public static readonly TimeSpan MaximumDuration = TimeSpan.FromHours(4);

    private static readonly long Day = TimeSpan.FromDays(1).Ticks;

    /// <summary>
    /// A follow-up slot of <paramref name="duration"/>. A start is feasible when:
    /// <list type="bullet">
    /// <item>it is at or after the earliest start: the latest of the first instant of the manager's next working day
    /// (strictly after the manager-local date of <paramref name="meetingEnd"/>), <c>meetingEnd + MinimumDelay</c>
    /// and <paramref name="now"/>;</item>
    /// <item>the slot ends by the horizon: the end of the manager's working window on the
    /// <see cref="FollowUpPolicy.HorizonWorkingDays"/>-th manager working day, counting the first working day on or
    /// after the manager-local date of the earliest start as the first (so a late request still gets a full horizon);</item>
    /// <item>it is on a local multiple of <see cref="FollowUpPolicy.Alignment"/> in the manager's zone;</item>
    /// <item>the slot lies inside one of the user's working windows (user's zone) and inside one of the manager's
    /// windows shrunk by <see cref="FollowUpPolicy.ManagerEdgeMargin"/> at both ends (manager's zone), and does not
    /// overlap the manager's lunch window of that day;</item>
    /// <item>that manager-local day has no out-of-office item on the manager's calendar;</item>
    /// <item>the slot overlaps none of the user's blocking items, and the slot widened by
    /// <see cref="FollowUpPolicy.ManagerBuffer"/> on both sides overlaps none of the manager's blocking items.</item>
    /// </list>
    /// Choice among feasible starts: take the first manager-local day that has any; on that day maximise
    /// <c>score = min(free before, free after, FreeTimeScoreCap)</c>, where free before is the time from the end of the
    /// manager's latest blocking item before the slot (or the start of the manager's working window, if later) to
    /// the slot's start, and free after the time from the slot's end to the manager's next blocking item (or the end
    /// of the working window, if earlier); ties go to the earliest start. So the manager gets breathing room on both
    /// sides, up to an hour, as early as the first possible day allows.
    /// When nothing fits, the reason is, in this order: <see cref="NoSlotReason.NoWorkingTimeInHorizon"/> (the manager
    /// has no working time at all), <see cref="NoSlotReason.NoCommonWorkingTime"/> (the user has none),
    /// <see cref="NoSlotReason.HorizonPassed"/>, <see cref="NoSlotReason.NoCommonWorkingTime"/> (no slot even with
    /// both calendars empty), <see cref="NoSlotReason.ManagerOutOfOffice"/> (no slot with only the manager's
    /// out-of-office items), otherwise <see cref="NoSlotReason.CalendarFull"/>.
    /// </summary>
    /// <returns>The slot expressed in the user's zone offset, or the reason there is none.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is not positive or above <see cref="MaximumDuration"/>.</exception>
    /// <exception cref="ArgumentException">The policy is invalid (see <see cref="FollowUpPolicy.Validate"/>).</exception>
    public static SlotResult Find(
        DateTimeOffset meetingEnd,
        DateTimeOffset now,
        TimeSpan duration,
        WorkingHours user,
        IReadOnlyList<BusyInterval> userBusy,
        WorkingHours manager,
        IReadOnlyList<BusyInterval> managerBusy,
        FollowUpPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(userBusy);
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(managerBusy);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(duration, MaximumDuration);
        policy.EnsureValid();

        if (!WorkingTime.HasWorkingTime(manager))
        {
            return SlotResult.NotFound(NoSlotReason.NoWorkingTimeInHorizon);
        }

        if (!WorkingTime.HasWorkingTime(user))
        {
            return SlotResult.NotFound(NoSlotReason.NoCommonWorkingTime);
        }

        var managerZone = manager.TimeZone;
        var firstDay = WorkingTime.NextWorkingDay(manager, ZoneMath.LocalDate(managerZone, meetingEnd.UtcTicks));
        var earliest = Math.Max(
            WorkingTime.DayStartTicks(managerZone, firstDay),
            Math.Max(meetingEnd.UtcTicks + policy.MinimumDelay.Ticks, now.UtcTicks));
        var lastDay = WorkingTime.WorkingDayOnOrAfter(manager, ZoneMath.LocalDate(managerZone, earliest));
        for (var i = 1; i < policy.HorizonWorkingDays; i++)
        {
            lastDay = WorkingTime.NextWorkingDay(manager, lastDay);
        }

        var horizonEnd = WorkingTime.EndTicks(manager, lastDay);
        if (earliest >= horizonEnd)
        {
            return SlotResult.NotFound(NoSlotReason.HorizonPassed);
        }

        var request = new Request(user, manager, policy, duration.Ticks, earliest, horizonEnd, lastDay);
        return Search(request, userBusy, managerBusy);
    }

    /// <summary>
    /// One walk over the manager's days in the horizon. Besides the best slot it collects what names the reason
    /// when there is none, so a full calendar costs no second search.
    /// </summary>
    private static SlotResult Search(in Request request, IReadOnlyList<BusyInterval> userBusy, IReadOnlyList<BusyInterval> managerBusy)
    {
        // Free time around a slot only counts up to the cap, so items further than a day away cannot matter.
        var from = request.Earliest - Day;
        var to = request.HorizonEnd + Day;
        var buffer = request.Policy.ManagerBuffer.Ticks;
        using var userBlocks = BusyTimeline.Build(userBusy, 0, BusyFilter.Blocking, from, to);
        using var managerBlocks = BusyTimeline.Build(managerBusy, buffer, BusyFilter.Blocking, from, to);
        using var combined = BusyTimeline.Union(userBlocks, managerBlocks);

        // An out-of-office item anywhere on a manager-local day takes the whole day off, so the day check keeps
        // every such item, near the slots or not.
        using var outOfOffice = BusyTimeline.Build(managerBusy, 0, BusyFilter.OutOfOfficeOnly, long.MinValue, long.MaxValue);
        using var outOfOfficeBlocks = BusyTimeline.Widen(outOfOffice, buffer);

        var managerHours = request.Manager;
        var zone = managerHours.TimeZone;
        var daysOff = new DaysOff(outOfOffice, zone);
        var search = new DaySearch(request, combined, managerBlocks, outOfOfficeBlocks);
        var policy = request.Policy;
        var margin = policy.ManagerEdgeMargin.Ticks;
        for (var date = ZoneMath.LocalDate(zone, request.Earliest).AddDays(-1); date <= request.LastDay; date = date.AddDays(1))
        {
            if (!WorkingTime.TryWindow(managerHours, date, out var windowStart, out var windowEnd))
            {
                continue;
            }

            search.StartDay(windowStart, windowEnd, daysOff.Contains(date));
            var allowedStart = windowStart + margin;
            var allowedEnd = windowEnd - margin;
            if (WorkingTime.TryLocalRange(zone, date, policy.LunchStart, policy.LunchEnd, out var lunchStart, out var lunchEnd))
            {
                search.ManagerPiece(allowedStart, Math.Min(allowedEnd, lunchStart));
                search.ManagerPiece(Math.Max(allowedStart, lunchEnd), allowedEnd);
            }
            else
            {
                search.ManagerPiece(allowedStart, allowedEnd);
            }

            if (search.BestStart >= 0)
            {
                var userZone = request.User.TimeZone;
                return SlotResult.FoundAt(new Interval(
                    ZoneMath.ToZone(userZone, search.BestStart),
                    ZoneMath.ToZone(userZone, search.BestStart + request.Duration)));
            }
        }

        return SlotResult.NotFound(search.Reason);
    }

    private readonly record struct Request(
        WorkingHours User,
        WorkingHours Manager,
        FollowUpPolicy Policy,
        long Duration,
        long Earliest,
        long HorizonEnd,
        DateOnly LastDay);

    /// <summary>Tells, for increasing manager-local dates, whether an out-of-office item reaches into the day.</summary>
    private ref struct DaysOff
    {
        private readonly BusyTimeline _outOfOffice;
        private readonly TimeZoneInfo _zone;
        private int _cursor;

        public DaysOff(BusyTimeline outOfOffice, TimeZoneInfo zone)
        {
            _outOfOffice = outOfOffice;
            _zone = zone;
        }

        public bool Contains(DateOnly date)
        {
            // Most calendars have no out-of-office time left ahead; then the day's bounds need no zone lookups.
            if (_cursor == _outOfOffice.Count)
            {
                return false;
            }

            var dayStart = WorkingTime.DayStartTicks(_zone, date);
            while (_cursor < _outOfOffice.Count && _outOfOffice.End(_cursor) <= dayStart)
            {
                _cursor++;
            }

            return _cursor < _outOfOffice.Count
                && _outOfOffice.Start(_cursor) < WorkingTime.DayStartTicks(_zone, date.AddDays(1));
        }
    }

    /// <summary>
    /// The user's working window by user-local date, remembering the last two dates asked for: each manager day asks
    /// for the same dates once per piece (lunch splits the day) and the next day asks for the last of them again,
    /// while mapping a window to instants takes several zone lookups.
    /// </summary>
    private struct UserWindows
    {
        private readonly WorkingHours _hours;
        private Window _newer;
        private Window _older;

        public UserWindows(WorkingHours hours) => _hours = hours;

        public bool TryWindow(DateOnly date, out long start, out long end)
        {
            if (!_newer.Is(date))
            {
                if (_older.Is(date))
                {
                    (_newer, _older) = (_older, _newer);
                }
                else
                {
                    _older = _newer;
                    var found = WorkingTime.TryWindow(_hours, date, out var windowStart, out var windowEnd);
                    _newer = new Window(true, date, found, windowStart, windowEnd);
                }
            }

            start = _newer.Start;
            end = _newer.End;
            return _newer.Found;
        }

        private readonly record struct Window(bool Known, DateOnly Date, bool Found, long Start, long End)
        {
            public bool Is(DateOnly date) => Known && Date == date;
        }
    }

    /// <summary>
    /// Scores the feasible starts of one manager day. Pieces arrive in increasing order, so every timeline is
    /// walked with a forward-only cursor.
    /// </summary>
    /// <remarks>
    /// Naming the reason when nothing fits needs two more answers, and the same walk gives them, so a full calendar
    /// needs no second search: would any slot fit with both calendars empty (on any day, days off included), and
    /// would one fit beside the manager's out-of-office items alone (on a day that is not off).
    /// </remarks>
    private ref struct DaySearch
    {
        private readonly Request _request;
        private readonly BusyTimeline _combined;
        private readonly BusyTimeline _manager;
        private readonly long _alignment;
        private readonly long _cap;
        private readonly long _buffer;
        private GapScan _emptyCalendars;
        private GapScan _outOfOfficeOnly;
        private UserWindows _userWindows;
        private int _combinedCursor;
        private int _managerCursor;
        private long _windowStart;
        private long _windowEnd;
        private bool _dayOff;
        private long _bestScore;
        private bool _fitsEmptyCalendars;
        private bool _fitsBesideOutOfOffice;

        public DaySearch(in Request request, BusyTimeline combined, BusyTimeline manager, BusyTimeline outOfOfficeBlocks)
        {
            _request = request;
            _combined = combined;
            _manager = manager;
            _alignment = request.Policy.Alignment.Ticks;
            _cap = request.Policy.FreeTimeScoreCap.Ticks;
            _buffer = request.Policy.ManagerBuffer.Ticks;
            _emptyCalendars = new GapScan(default, request.Manager.TimeZone, request.Duration, _alignment);
            _outOfOfficeOnly = new GapScan(outOfOfficeBlocks, request.Manager.TimeZone, request.Duration, _alignment);
            _userWindows = new UserWindows(request.User);
            BestStart = -1;
        }

        public long BestStart { get; private set; }

        /// <summary>Why nothing fitted, in the finder's documented order; meaningful once a walk found nothing.</summary>
        public readonly NoSlotReason Reason =>
            !_fitsEmptyCalendars ? NoSlotReason.NoCommonWorkingTime
            : !_fitsBesideOutOfOffice ? NoSlotReason.ManagerOutOfOffice
            : NoSlotReason.CalendarFull;

        public void StartDay(long windowStart, long windowEnd, bool dayOff)
        {
            _windowStart = windowStart;
            _windowEnd = windowEnd;
            _dayOff = dayOff;
        }

        /// <summary>Allowed manager time of the day; intersected with the user's windows.</summary>
        public void ManagerPiece(long start, long end)
        {
            start = Math.Max(start, _request.Earliest);
            end = Math.Min(end, _request.HorizonEnd);
            if (end - start < _request.Duration)
            {
                return;
            }

            var userZone = _request.User.TimeZone;
            var lastDate = ZoneMath.LocalDate(userZone, end - 1);
            for (var date = ZoneMath.LocalDate(userZone, start).AddDays(-1); date <= lastDate; date = date.AddDays(1))
            {
                if (_userWindows.TryWindow(date, out var userStart, out var userEnd))
                {
                    CommonPiece(Math.Max(start, userStart), Math.Min(end, userEnd));
                }
            }
        }

        private void CommonPiece(long start, long end)
        {
            if (end - start < _request.Duration)
            {
                return;
            }

            // Each answer stands once it is yes, so these cost a scan only until the first piece that has room.
            _fitsEmptyCalendars = _fitsEmptyCalendars || _emptyCalendars.FirstFit(start, end) >= 0;
            if (_dayOff)
            {
                return;
            }

            _fitsBesideOutOfOffice = _fitsBesideOutOfOffice || _outOfOfficeOnly.FirstFit(start, end) >= 0;

            while (_combinedCursor < _combined.Count && _combined.End(_combinedCursor) <= start)
            {
                _combinedCursor++;
            }

            var free = start;
            for (var i = _combinedCursor; i < _combined.Count && _combined.Start(i) < end; i++)
            {
                if (_combined.Start(i) > free)
                {
                    FreePiece(free, _combined.Start(i));
                }

                free = Math.Max(free, _combined.End(i));
                if (free >= end)
                {
                    return;
                }
            }

            FreePiece(free, end);
        }

        private void FreePiece(long start, long end)
        {
            var lastStart = end - _request.Duration;
            if (lastStart < start)
            {
                return;
            }

            // The manager's busy items are widened by the buffer in the timeline; undo that to measure free time.
            while (_managerCursor < _manager.Count && _manager.End(_managerCursor) <= start)
            {
                _managerCursor++;
            }

            var before = _windowStart;
            if (_managerCursor > 0)
            {
                before = Math.Max(before, _manager.End(_managerCursor - 1) - _buffer);
            }

            var after = _windowEnd;
            if (_managerCursor < _manager.Count)
            {
                after = Math.Min(after, _manager.Start(_managerCursor) + _buffer);
            }

            var zone = _request.Manager.TimeZone;
            var offset = ZoneMath.OffsetTicks(zone, start);
            var lastOffset = ZoneMath.OffsetTicks(zone, lastStart);
            if (offset == lastOffset)
            {
                Score(start, lastStart, offset, before, after);
                return;
            }

            var change = ZoneMath.FirstOffsetChange(zone, start, lastStart, offset);
            Score(start, change - 1, offset, before, after);
            Score(change, lastStart, ZoneMath.OffsetTicks(zone, change), before, after);
        }

        // Score(s) = min(s - before, after - duration - s, cap) rises, plateaus, then falls, so the best aligned
        // start of a run is next to the point where it first peaks, or at an end of the run.
        private void Score(long firstStart, long lastStart, long offset, long before, long after)
        {
            var low = ZoneMath.AlignUp(firstStart, offset, _alignment);
            var high = ZoneMath.AlignDown(lastStart, offset, _alignment);
            if (low > high)
            {
                return;
            }

            var peak = before + Math.Min(_cap, (after - _request.Duration - before) / 2);
            var up = ZoneMath.AlignUp(Math.Clamp(peak, low, high), offset, _alignment);
            Consider(low, before, after);
            Consider(high, before, after);
            Consider(ZoneMath.AlignDown(Math.Clamp(peak, low, high), offset, _alignment), before, after);
            Consider(Math.Min(up, high), before, after);
            Consider(Math.Min(up + _alignment, high), before, after);
        }

        private void Consider(long start, long before, long after)
        {
            var score = Math.Min(Math.Min(start - before, after - _request.Duration - start), _cap);
            if (BestStart < 0 || score > _bestScore || (score == _bestScore && start < BestStart))
            {
                BestStart = start;
                _bestScore = score;
            }
        }
    }
}
