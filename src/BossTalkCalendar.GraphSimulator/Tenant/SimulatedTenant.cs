using System.Security.Cryptography;
using System.Text.Json;

namespace BossTalkCalendar.GraphSimulator;

/// <summary>
/// The simulated tenant: directory, mailboxes, calendars and delivered meeting messages, in memory. Thread-safe: every
/// member may be called while the server is answering requests.
/// </summary>
public sealed class SimulatedTenant
{
    private readonly Lock _gate = new();
    private readonly Func<TimeProvider> _clock;
    private readonly TenantState _state;
    private readonly Dictionary<string, UserRecord> _usersById = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, UserRecord> _usersByName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<EventRecord>> _eventsByOwner = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, EventRecord> _eventsById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EventRecord> _eventsByTransaction = new(StringComparer.Ordinal);
    private readonly List<EventChange> _journal = [];
    private long _version;

    private SimulatedTenant(TenantState state, Func<TimeProvider> clock)
    {
        _state = state;
        _clock = clock;
        foreach (var user in state.Users)
        {
            IndexUser(user);
        }

        foreach (var ev in state.Events)
        {
            IndexEvent(ev);
        }
    }

    public string TenantId => _state.TenantId;

    /// <summary>Counts of the requests served (see <see cref="GraphSimulator.RequestLog"/>).</summary>
    public RequestLog RequestLog { get; } = new();

    /// <summary>App registrations and service principals (<c>/applications</c>, <c>/servicePrincipals</c>).</summary>
    public SimulatedApplications Applications { get; } = new();

    /// <summary>User ids (or mail/UPN) whose mailbox answers 403 ErrorAccessDenied on calendar and mailbox routes.</summary>
    public ISet<string> ForbiddenMailboxes { get; } = new SynchronizedStringSet();

    public IReadOnlyList<SimUser> Users
    {
        get
        {
            lock (_gate)
            {
                return _state.Users.Select(ToSnapshot).ToList();
            }
        }
    }

    /// <summary>Raised (outside the lock) after any change of state; the host persists on it.</summary>
    internal event Action? Changed;

    /// <summary>Raised (outside the lock) with the event changes of one state change; subscriptions notify on it.</summary>
    internal event Action<IReadOnlyList<EventChange>>? EventsChanged;

    /// <summary>Increases with every change; the persister compares it with what is on disk.</summary>
    internal long Version => Interlocked.Read(ref _version);

    internal static SimulatedTenant FromSeed(TenantSeed seed, Func<TimeProvider> clock)
    {
        var tenant = new SimulatedTenant(new TenantState { TenantId = seed.TenantId }, clock);
        lock (tenant._gate)
        {
            foreach (var user in seed.Users)
            {
                tenant.AddUserCore(user);
            }

            foreach (var user in seed.Users)
            {
                foreach (var ev in user.Events)
                {
                    tenant.AddSeedEventCore(user.Id, ev);
                }
            }
        }

        return tenant;
    }

    internal static SimulatedTenant FromState(TenantState state, Func<TimeProvider> clock) => new(state, clock);

    public SimUser? FindUser(string idOrMailOrUpn)
    {
        lock (_gate)
        {
            var user = FindUserUnlocked(idOrMailOrUpn);
            return user is null ? null : ToSnapshot(user);
        }
    }

    /// <summary>The events on the user's calendar ordered by start, cancelled ones included.</summary>
    public IReadOnlyList<SimEvent> EventsOf(string userId)
    {
        lock (_gate)
        {
            var user = FindUserUnlocked(userId);
            if (user is null || !_eventsByOwner.TryGetValue(user.Id, out var events))
            {
                return [];
            }

            return events.OrderBy(e => e.Start).ThenBy(e => e.Id, StringComparer.Ordinal).Select(ToSnapshot).ToList();
        }
    }

    /// <summary>Meeting messages (invitations, cancellations) delivered to the user's mailbox.</summary>
    public IReadOnlyList<SimMessage> MessagesOf(string userId)
    {
        lock (_gate)
        {
            var user = FindUserUnlocked(userId);
            if (user is null)
            {
                return [];
            }

            return _state.Messages
                .Where(m => string.Equals(m.OwnerId, user.Id, StringComparison.OrdinalIgnoreCase))
                .Select(m => new SimMessage(m.Id, m.OwnerId, m.Subject, m.FromMail, m.ToMails.ToList(), m.MeetingMessageType, m.ICalUId, m.EventId, m.Received))
                .ToList();
        }
    }

    public void AddUser(SeedUser user)
    {
        lock (_gate)
        {
            AddUserCore(user);
            foreach (var ev in user.Events)
            {
                AddSeedEventCore(user.Id, ev);
            }
        }

        OnChanged();
    }

    /// <summary>Deletes the user with their calendar; their direct reports lose their manager, as in Entra ID.</summary>
    public void RemoveUser(string userId)
    {
        lock (_gate)
        {
            var user = FindUserUnlocked(userId) ?? throw new KeyNotFoundException($"No user '{userId}'.");
            foreach (var ev in _eventsByOwner.GetValueOrDefault(user.Id)?.ToList() ?? [])
            {
                RemoveEventCore(ev);
            }

            _eventsByOwner.Remove(user.Id);
            _state.Users.Remove(user);
            _usersById.Remove(user.Id);
            _usersByName.Remove(user.Mail);
            _usersByName.Remove(user.UserPrincipalName);
            foreach (var report in _state.Users.Where(u => string.Equals(u.ManagerId, user.Id, StringComparison.OrdinalIgnoreCase)))
            {
                report.ManagerId = null;
            }

            _state.Messages.RemoveAll(m => string.Equals(m.OwnerId, user.Id, StringComparison.OrdinalIgnoreCase));
        }

        OnChanged();
    }

    public void SetManager(string userId, string? managerId)
    {
        lock (_gate)
        {
            var user = FindUserUnlocked(userId) ?? throw new KeyNotFoundException($"No user '{userId}'.");
            if (managerId is not null)
            {
                managerId = (FindUserUnlocked(managerId) ?? throw new KeyNotFoundException($"No user '{managerId}'.")).Id;
            }

            user.ManagerId = managerId;
        }

        OnChanged();
    }

    /// <summary>
    /// Puts an event on the user's calendar and mirrors it onto the organizer's and attendees' calendars when they
    /// are tenant users (same iCalUId, own id and response), as Exchange does. No messages are delivered.
    /// </summary>
    /// <returns>The event's id on <paramref name="userId"/>'s calendar.</returns>
    public string AddEvent(string userId, SeedEvent ev)
    {
        string id;
        lock (_gate)
        {
            var user = FindUserUnlocked(userId) ?? throw new KeyNotFoundException($"No user '{userId}'.");
            id = AddSeedEventCore(user.Id, ev);
        }

        OnChanged();
        return id;
    }

    /// <summary>The organizer cancels the meeting: every copy (same iCalUId) becomes isCancelled.</summary>
    public void CancelEvent(string userId, string eventId)
    {
        lock (_gate)
        {
            var ev = FindOwnedEventUnlocked(userId, eventId) ?? throw new KeyNotFoundException($"No event '{eventId}' on '{userId}'.");
            foreach (var copy in CopiesOf(ev.ICalUId))
            {
                copy.IsCancelled = true;
                Touch(copy);
            }
        }

        OnChanged();
    }

    /// <summary>Removes this one copy of the event from the user's calendar (others keep theirs).</summary>
    public void RemoveEvent(string userId, string eventId)
    {
        lock (_gate)
        {
            var ev = FindOwnedEventUnlocked(userId, eventId) ?? throw new KeyNotFoundException($"No event '{eventId}' on '{userId}'.");
            RemoveEventCore(ev);
        }

        OnChanged();
    }

    /// <summary>
    /// Moves the event copy to another folder and back, as Outlook does when an item is moved or restored: its default
    /// (REST) id changes and the old one answers 404 from now on, while its immutable id stays
    /// (https://learn.microsoft.com/graph/outlook-immutable-id; docs/graph.md, "Immutable ids").
    /// </summary>
    /// <returns>The new default (REST) id.</returns>
    public string MoveEventToAnotherFolder(string userId, string eventId)
    {
        string restId;
        lock (_gate)
        {
            var ev = FindOwnedEventUnlocked(userId, eventId) ?? throw new KeyNotFoundException($"No event '{eventId}' on '{userId}'.");
            _eventsById.Remove(ev.RestId);
            ev.RestId = NewRestId();
            _eventsById[ev.RestId] = ev;
            restId = ev.RestId;
            Touch(ev);
        }

        OnChanged();
        return restId;
    }

    /// <summary>Moves an event copy in time (e.g. to simulate a slot taken or a meeting rescheduled meanwhile).</summary>
    public void MoveEvent(string userId, string eventId, DateTimeOffset start, DateTimeOffset end)
    {
        lock (_gate)
        {
            var ev = FindOwnedEventUnlocked(userId, eventId) ?? throw new KeyNotFoundException($"No event '{eventId}' on '{userId}'.");
            ev.Start = start.ToUniversalTime();
            ev.End = end.ToUniversalTime();
            Touch(ev);
        }

        OnChanged();
    }

    internal T WithLock<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    internal UserRecord? FindUserUnlocked(string idOrMailOrUpn) =>
        _usersById.GetValueOrDefault(idOrMailOrUpn) ?? _usersByName.GetValueOrDefault(idOrMailOrUpn);

    internal IReadOnlyList<UserRecord> UsersUnlocked => _state.Users;

    internal long ChangeCounterUnlocked => _state.ChangeCounter;

    internal IEnumerable<TombstoneRecord> TombstonesUnlocked => _state.Tombstones;

    internal IReadOnlyList<EventRecord> EventsOfUnlocked(string userId) =>
        _eventsByOwner.TryGetValue(userId, out var events) ? events : [];

    internal EventRecord? FindOwnedEventUnlocked(string userId, string eventId)
    {
        var user = FindUserUnlocked(userId);
        return user is not null && _eventsById.TryGetValue(eventId, out var ev)
            && string.Equals(ev.OwnerId, user.Id, StringComparison.OrdinalIgnoreCase)
            ? ev
            : null;
    }

    /// <summary>POST /events: the owner organizes; tenant attendees get a copy and an invitation.</summary>
    /// <returns>
    /// The event on the owner's calendar and what happened: created now; a replay of the same event under the same
    /// transactionId (nothing created, the existing event answered); or a conflict, when the transactionId already
    /// created a different event (event is then null).
    /// </returns>
    /// <remarks>
    /// Graph de-duplicates a retried POST only when it is the same event: an identical repeat answers 201 without creating
    /// anything (https://blog.rykoma.net/2020/10/05/1559), a different event under a used transactionId is refused with
    /// 400 ErrorDuplicateTransactionId, "The TransactionId specified in the request has already been used to create a
    /// different event" (seen in public code handling it, e.g. alcionai/corso issue 2490, https://github.com/alcionai/corso/pull/2611).
    /// What counts as "the same" is not documented, so every property the client sent is compared: the simulator must
    /// not forgive what Graph might not.
    /// </remarks>
    internal (EventRecord? Event, CreateOutcome Outcome) CreateFromGraph(string ownerId, EventRecord draft)
    {
        EventRecord organizerCopy;
        lock (_gate)
        {
            var owner = _usersById[ownerId];
            if (draft.TransactionId is { Length: > 0 } tx
                && _eventsByTransaction.TryGetValue(TransactionKey(owner.Id, tx), out var existing))
            {
                return SameContent(existing, draft) ? (existing, CreateOutcome.Replayed) : (null, CreateOutcome.Conflict);
            }

            var now = Now();
            draft.Id = NewEventId();
            draft.RestId = NewRestId();
            draft.OwnerId = owner.Id;
            draft.ICalUId = NewICalUId();
            draft.OrganizerMail = owner.Mail;
            draft.OrganizerName = owner.DisplayName;
            draft.IsOrganizer = true;
            draft.Response = "organizer";
            draft.ResponseTime = null;
            draft.Created = now;
            AppendEvent(draft);
            // Graph follows the create with an update of the same event: "when I create new schedule in the calendar,
            // Microsoft Graph send both created and updated notification" (microsoftgraph/microsoft-graph-docs issue
            // 7598). So "updated" on a client's own new event is no sign that anybody changed it.
            Touch(draft);

            foreach (var attendee in draft.Attendees)
            {
                var invitee = FindUserUnlocked(attendee.Mail);
                if (invitee is null || string.Equals(invitee.Id, owner.Id, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var copy = CopyFor(draft, invitee);
                copy.Response = "notResponded";
                copy.ShowAs = draft.ShowAs == "free" ? "free" : "tentative";
                AppendEvent(copy);
                _state.Messages.Add(new MessageRecord
                {
                    Id = NewMessageId(),
                    OwnerId = invitee.Id,
                    Subject = draft.Subject,
                    FromMail = owner.Mail,
                    ToMails = draft.Attendees.Select(a => a.Mail).ToList(),
                    MeetingMessageType = "meetingRequest",
                    ICalUId = draft.ICalUId,
                    EventId = copy.Id,
                    Received = now,
                });
            }

            organizerCopy = draft;
        }

        OnChanged();
        return (organizerCopy, CreateOutcome.Created);
    }

    /// <summary>Whether a POST carries the same event as the one its transactionId created (every client-set property).</summary>
    private static bool SameContent(EventRecord existing, EventRecord draft) =>
        existing.Subject == draft.Subject
        && existing.BodyContentType == draft.BodyContentType
        && existing.BodyContent == draft.BodyContent
        && existing.Start == draft.Start
        && existing.End == draft.End
        && existing.StartTimeZone == draft.StartTimeZone
        && existing.EndTimeZone == draft.EndTimeZone
        && existing.IsAllDay == draft.IsAllDay
        && existing.Sensitivity == draft.Sensitivity
        && existing.ShowAs == draft.ShowAs
        && existing.IsReminderOn == draft.IsReminderOn
        && existing.ReminderMinutesBeforeStart == draft.ReminderMinutesBeforeStart
        && existing.Categories.SequenceEqual(draft.Categories, StringComparer.Ordinal)
        && existing.Attendees.Select(a => (a.Mail.ToUpperInvariant(), a.Type)).SequenceEqual(draft.Attendees.Select(a => (a.Mail.ToUpperInvariant(), a.Type)))
        && existing.ExtendedProperties.Select(p => (p.Id, p.Value)).SequenceEqual(draft.ExtendedProperties.Select(p => (p.Id, p.Value)));

    /// <summary>DELETE /events/{id}: an organizer's delete cancels the attendees' copies and tells them.</summary>
    internal bool DeleteFromGraph(string ownerId, string eventId)
    {
        lock (_gate)
        {
            var ev = FindOwnedEventUnlocked(ownerId, eventId);
            if (ev is null)
            {
                return false;
            }

            RemoveEventCore(ev);
            if (ev.IsOrganizer)
            {
                foreach (var copy in CopiesOf(ev.ICalUId).Where(c => !c.IsCancelled))
                {
                    copy.IsCancelled = true;
                    Touch(copy);
                    _state.Messages.Add(new MessageRecord
                    {
                        Id = NewMessageId(),
                        OwnerId = copy.OwnerId,
                        Subject = ev.Subject,
                        FromMail = ev.OrganizerMail,
                        ToMails = ev.Attendees.Select(a => a.Mail).ToList(),
                        MeetingMessageType = "meetingCancelled",
                        ICalUId = ev.ICalUId,
                        EventId = copy.Id,
                        Received = Now(),
                    });
                }
            }
        }

        OnChanged();
        return true;
    }

    internal byte[] SerializeState(out long version)
    {
        lock (_gate)
        {
            version = Version;
            return JsonSerializer.SerializeToUtf8Bytes(_state, TenantSeed.JsonOptions);
        }
    }

    internal static TenantState DeserializeState(byte[] json) =>
        JsonSerializer.Deserialize<TenantState>(json, TenantSeed.JsonOptions)
            ?? throw new InvalidDataException("The simulator's state file is empty.");

    internal DateTimeOffset Now() => _clock().GetUtcNow();

    private void OnChanged()
    {
        Interlocked.Increment(ref _version);
        Changed?.Invoke();
        EventChange[] changes;
        lock (_gate)
        {
            changes = [.. _journal];
            _journal.Clear();
        }

        if (changes.Length > 0)
        {
            EventsChanged?.Invoke(changes);
        }
    }

    private void AddUserCore(SeedUser seed)
    {
        if (string.IsNullOrWhiteSpace(seed.Id) || string.IsNullOrWhiteSpace(seed.Mail))
        {
            throw new ArgumentException("A simulated user needs an id and a mail address.", nameof(seed));
        }

        if (FindUserUnlocked(seed.Id) is not null || FindUserUnlocked(seed.Mail) is not null)
        {
            throw new ArgumentException($"User '{seed.Id}' ({seed.Mail}) already exists.", nameof(seed));
        }

        var user = new UserRecord
        {
            Id = seed.Id,
            DisplayName = seed.DisplayName,
            Mail = seed.Mail,
            UserPrincipalName = string.IsNullOrEmpty(seed.UserPrincipalName) ? seed.Mail : seed.UserPrincipalName,
            ManagerId = seed.ManagerId,
            TimeZone = seed.TimeZone,
            WorkingHours = seed.WorkingHours ?? new SeedWorkingHours(),
            Locale = string.IsNullOrWhiteSpace(seed.Locale) ? "en-US" : seed.Locale,
        };
        // No check of the zone name: mailboxSettings can carry a name nobody resolves ("Customized Time Zone" without
        // its rules), and the simulator must be able to answer with it (docs/graph.md, "Time zones").
        _state.Users.Add(user);
        IndexUser(user);
    }

    private string AddSeedEventCore(string ownerId, SeedEvent seed)
    {
        var owner = _usersById[ownerId];
        var iCalUId = seed.ICalUId ?? NewICalUId();
        var organizerMail = string.IsNullOrEmpty(seed.OrganizerMail) ? owner.Mail : seed.OrganizerMail;
        var organizer = FindUserUnlocked(organizerMail);
        var now = Now();
        var template = new EventRecord
        {
            ICalUId = iCalUId,
            Subject = seed.Subject,
            BodyContentType = "html",
            BodyContent = seed.Body ?? "",
            Start = seed.Start.ToUniversalTime(),
            End = seed.End.ToUniversalTime(),
            StartTimeZone = owner.TimeZone,
            EndTimeZone = owner.TimeZone,
            OrganizerMail = organizer?.Mail ?? organizerMail,
            OrganizerName = organizer?.DisplayName ?? organizerMail,
            Attendees = seed.Attendees.Select(a => new AttendeeRecord
            {
                Mail = FindUserUnlocked(a.Mail)?.Mail ?? a.Mail,
                Name = FindUserUnlocked(a.Mail)?.DisplayName ?? a.Mail,
                Type = a.Type,
                Response = a.Response,
            }).ToList(),
            IsCancelled = seed.IsCancelled,
            IsAllDay = seed.IsAllDay,
            ShowAs = seed.ShowAs,
            Type = seed.Type,
            SeriesMasterId = seed.SeriesMasterId,
            Sensitivity = seed.Sensitivity,
            Categories = seed.Categories?.ToList() ?? [],
            Created = now,
        };

        var participants = new List<UserRecord> { owner };
        if (organizer is not null)
        {
            participants.Add(organizer);
        }

        participants.AddRange(seed.Attendees.Select(a => FindUserUnlocked(a.Mail)).OfType<UserRecord>());

        string? ownerCopyId = null;
        foreach (var participant in participants.DistinctBy(p => p.Id, StringComparer.OrdinalIgnoreCase))
        {
            var existing = EventsOfUnlocked(participant.Id).FirstOrDefault(e => e.ICalUId == iCalUId);
            if (existing is not null)
            {
                ownerCopyId ??= participant == owner ? existing.Id : null;
                continue;
            }

            var copy = CopyFor(template, participant);
            if (participant == owner && seed.Id is { Length: > 0 } givenId)
            {
                // A given id is the immutable one; the default (REST) id is made up like any other.
                copy.Id = givenId;
            }

            copy.Categories = participant == owner ? template.Categories.ToList() : [];
            var isOrganizer = string.Equals(participant.Mail, template.OrganizerMail, StringComparison.OrdinalIgnoreCase);
            copy.IsOrganizer = isOrganizer;
            copy.Response = isOrganizer
                ? "organizer"
                : seed.Attendees.FirstOrDefault(a => FindUserUnlocked(a.Mail) == participant)?.Response ?? "none";
            copy.ShowAs = isOrganizer ? seed.ShowAs : AttendeeShowAs(seed.ShowAs, copy.Response);
            copy.ResponseTime = copy.Response is "accepted" or "tentativelyAccepted" or "declined" ? seed.Start.AddDays(-1) : null;
            AppendEvent(copy);
            if (participant == owner)
            {
                ownerCopyId = copy.Id;
            }
        }

        return ownerCopyId!;
    }

    private static string AttendeeShowAs(string organizerShowAs, string response) => response switch
    {
        "declined" => "free",
        "accepted" => organizerShowAs,
        _ => organizerShowAs == "free" ? "free" : "tentative",
    };

    private static EventRecord CopyFor(EventRecord template, UserRecord owner) => new()
    {
        Id = NewEventId(),
        RestId = NewRestId(),
        OwnerId = owner.Id,
        ICalUId = template.ICalUId,
        Subject = template.Subject,
        BodyContentType = template.BodyContentType,
        BodyContent = template.BodyContent,
        Start = template.Start,
        End = template.End,
        StartTimeZone = template.StartTimeZone,
        EndTimeZone = template.EndTimeZone,
        OrganizerMail = template.OrganizerMail,
        OrganizerName = template.OrganizerName,
        IsOrganizer = false,
        Attendees = template.Attendees.Select(a => new AttendeeRecord { Mail = a.Mail, Name = a.Name, Type = a.Type, Response = a.Response }).ToList(),
        Response = "notResponded",
        IsCancelled = template.IsCancelled,
        IsAllDay = template.IsAllDay,
        ShowAs = template.ShowAs,
        Type = template.Type,
        SeriesMasterId = template.SeriesMasterId,
        Sensitivity = template.Sensitivity,
        IsReminderOn = true,
        ReminderMinutesBeforeStart = 15,
        Created = template.Created,
        // Inside one organisation the attendee's item is made from the meeting request, and categories and named
        // properties set by the organizer can travel with it (reported in this project's issue #12; docs/graph.md,
        // "Invitations carry nothing of ours"). Copying them is the strict reading: a client that tags an invitation
        // sees its tags on the invitee's calendar.
        Categories = [.. template.Categories],
        ExtendedProperties = [.. template.ExtendedProperties.Select(p => new ExtendedPropertyRecord { Id = p.Id, Value = p.Value })],
    };

    private void AppendEvent(EventRecord ev)
    {
        Touch(ev, "created");
        _state.Events.Add(ev);
        IndexEvent(ev);
    }

    private void RemoveEventCore(EventRecord ev)
    {
        _state.Events.Remove(ev);
        _eventsById.Remove(ev.Id);
        _eventsById.Remove(ev.RestId);
        _eventsByOwner.GetValueOrDefault(ev.OwnerId)?.Remove(ev);
        if (ev.TransactionId is { Length: > 0 } tx)
        {
            _eventsByTransaction.Remove(TransactionKey(ev.OwnerId, tx));
        }

        _state.Tombstones.Add(new TombstoneRecord { OwnerId = ev.OwnerId, EventId = ev.Id, RestId = ev.RestId, ChangeSeq = ++_state.ChangeCounter });
        Journal(ev.SeriesMasterId is { } master ? SeriesChange(ev.OwnerId, master) : new EventChange(ev.OwnerId, ev.Id, "deleted", null));
    }

    private List<EventRecord> CopiesOf(string iCalUId) => _state.Events.Where(e => e.ICalUId == iCalUId).ToList();

    /// <summary>Only while someone listens: the seed's own events are not changes anybody is told about.</summary>
    private void Journal(EventChange change)
    {
        if (EventsChanged is not null)
        {
            _journal.Add(change);
        }
    }

    private void Touch(EventRecord ev, string changeType = "updated")
    {
        ev.ChangeSeq = ++_state.ChangeCounter;
        ev.LastModified = Now();
        ev.ChangeKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12));
        Journal(ev.SeriesMasterId is { } master ? SeriesChange(ev.OwnerId, master) : new EventChange(ev.OwnerId, ev.Id, changeType, ev.ChangeKey));
    }

    /// <summary>
    /// A change to an occurrence of a series (made, moved, cancelled or removed) is notified as an update of its series
    /// master, under the master's id, not the occurrence's: reported for Graph in microsoftgraph/microsoft-graph-docs
    /// issues 5520 and 5951 and in pnp/PnP issue 1894 (docs/graph.md, "Change notifications").
    /// </summary>
    private static EventChange SeriesChange(string ownerId, string seriesMasterId) =>
        new(ownerId, seriesMasterId, "updated", Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)));

    private void IndexUser(UserRecord user)
    {
        _usersById[user.Id] = user;
        _usersByName[user.Mail] = user;
        _usersByName.TryAdd(user.UserPrincipalName, user);
    }

    private void IndexEvent(EventRecord ev)
    {
        if (ev.RestId.Length == 0)
        {
            // A state file written before events had both ids.
            ev.RestId = NewRestId();
        }

        // Both ids find the item: the current default id and the immutable one (see docs/graph.md, "Immutable ids").
        _eventsById[ev.Id] = ev;
        _eventsById[ev.RestId] = ev;
        if (!_eventsByOwner.TryGetValue(ev.OwnerId, out var list))
        {
            list = [];
            _eventsByOwner[ev.OwnerId] = list;
        }

        list.Add(ev);
        if (ev.TransactionId is { Length: > 0 } tx)
        {
            _eventsByTransaction[TransactionKey(ev.OwnerId, tx)] = ev;
        }
    }

    private static string TransactionKey(string ownerId, string transactionId) => ownerId.ToUpperInvariant() + "\n" + transactionId;

    private static SimUser ToSnapshot(UserRecord u) => new(
        u.Id,
        u.DisplayName,
        u.Mail,
        u.UserPrincipalName,
        u.ManagerId,
        u.TimeZone,
        JsonSerializer.Deserialize<SeedWorkingHours>(JsonSerializer.SerializeToUtf8Bytes(u.WorkingHours, TenantSeed.JsonOptions), TenantSeed.JsonOptions)!);

    private static SimEvent ToSnapshot(EventRecord e) => new()
    {
        Id = e.Id,
        RestId = e.RestId,
        UserId = e.OwnerId,
        ICalUId = e.ICalUId,
        Subject = e.Subject,
        BodyContentType = e.BodyContentType,
        Body = e.BodyContent,
        Start = e.Start,
        End = e.End,
        StartTimeZone = e.StartTimeZone,
        OrganizerMail = e.OrganizerMail,
        IsOrganizer = e.IsOrganizer,
        Attendees = e.Attendees.Select(a => new SimAttendee(a.Mail, a.Name, a.Type, a.Response)).ToList(),
        Response = e.Response,
        IsCancelled = e.IsCancelled,
        IsAllDay = e.IsAllDay,
        ShowAs = e.ShowAs,
        Type = e.Type,
        SeriesMasterId = e.SeriesMasterId,
        Sensitivity = e.Sensitivity,
        Categories = e.Categories.ToList(),
        IsReminderOn = e.IsReminderOn,
        ReminderMinutesBeforeStart = e.ReminderMinutesBeforeStart,
        TransactionId = e.TransactionId,
        ExtendedProperties = e.ExtendedProperties.GroupBy(p => p.Id, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase),
        CreatedDateTime = e.Created,
        LastModifiedDateTime = e.LastModified,
    };

    // Graph ids are opaque base64 strings; ours look alike and are URL-safe. Immutable ids (restImmutableEntryId) start
    // differently from default REST ids, as in Microsoft's translateExchangeIds example.
    private static string NewEventId() => "AAkALgAA" + Base64Url(RandomNumberGenerator.GetBytes(30)) + "AAA=";

    private static string NewRestId() => "AAMkAD" + Base64Url(RandomNumberGenerator.GetBytes(30)) + "AAA=";

    private static string NewMessageId() => "AAMkAG" + Base64Url(RandomNumberGenerator.GetBytes(30)) + "AAA=";

    private static string NewICalUId() =>
        "040000008200E00074C5B7101A82E00800000000" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}

/// <summary>What a POST /events with a transactionId came to.</summary>
internal enum CreateOutcome
{
    Created,
    Replayed,
    Conflict,
}
