namespace BossTalkCalendar.Api.SendCheck;

/// <summary>What is being sent.</summary>
public enum SendKind
{
    /// <summary>A message; <see cref="SendCheckRequest.Recipients"/> is its To line.</summary>
    Message,

    /// <summary>A meeting request; <see cref="SendCheckRequest.Recipients"/> are its required attendees.</summary>
    Appointment,
}

/// <summary>
/// POST /api/v1/send-check body, sent by the add-in's send-time handler. Addresses and the kind only: never a subject,
/// a body or anything else of the item. Nothing of it is stored or logged.
/// </summary>
/// <param name="Kind">Message or appointment.</param>
/// <param name="Recipients">The To line of a message, or the required attendees of a meeting (at most <see cref="SendCheckEndpoints.MaxRecipients"/>).</param>
public sealed record SendCheckRequest(SendKind? Kind, IReadOnlyList<string>? Recipients);

/// <summary>The answer: quiet, or a gentle suggestion to wait.</summary>
public enum SendVerdict
{
    /// <summary>Say nothing; let the item go.</summary>
    Quiet,

    /// <summary>It goes to the manager soon after a one-on-one: offer to wait.</summary>
    SuggestWaiting,
}

/// <param name="Verdict">Quiet or suggest waiting.</param>
/// <param name="MinutesSinceMeeting">With <see cref="SendVerdict.SuggestWaiting"/>: whole minutes since the one-on-one ended; otherwise null.</param>
public sealed record SendCheckDto(SendVerdict Verdict, int? MinutesSinceMeeting)
{
    public static SendCheckDto Quiet { get; } = new(SendVerdict.Quiet, null);
}
