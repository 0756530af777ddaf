using System.Globalization;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Scheduling;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>The organisation's nudge policy (section <c>Policy</c>); users may override some of it.</summary>
public sealed class PolicyOptions
{
    public const string SectionName = "Policy";

    public ReflectionPolicyOptions Reflection { get; set; } = new();

    public FollowUpPolicyOptions FollowUp { get; set; } = new();

    public PrepPolicyOptions Prep { get; set; } = new();

    /// <summary>
    /// When reflections are placed unless a user chose otherwise: after every one-on-one (EveryOneOnOne), or only
    /// after one the user flags as rough (WhenIFlag).
    /// </summary>
    public NudgeMode Mode { get; set; } = NudgeMode.EveryOneOnOne;

    /// <summary>
    /// Whether the send-time alert (Outlook Smart Alerts: a gentle prompt when a message or meeting goes to the manager
    /// during the cool-down) is on for users who did not choose themselves.
    /// </summary>
    public bool SendAlert { get; set; } = true;
}

/// <summary>Prep block rules (section <c>Policy:Prep</c>): a short private block before the next one-on-one after a rough one.</summary>
public sealed class PrepPolicyOptions
{
    /// <summary>Length of the block.</summary>
    public int Minutes { get; set; } = 15;

    /// <summary>Least time between the block's end and the next one-on-one.</summary>
    public int MinLeadMinutes { get; set; } = 30;

    public PrepPolicy ToPolicy() =>
        PrepPolicy.Default with { Duration = TimeSpan.FromMinutes(Minutes), MinLead = TimeSpan.FromMinutes(MinLeadMinutes) };
}

/// <summary>Follow-up slot rules (section <c>Policy:FollowUp</c>); the manager-side rules protect the manager's day.</summary>
public sealed class FollowUpPolicyOptions
{
    /// <summary>Length of a casual follow-up.</summary>
    public int CasualMinutes { get; set; } = 10;

    /// <summary>Length of a formal follow-up.</summary>
    public int FormalMinutes { get; set; } = 20;

    /// <summary>Least time between the end of the one-on-one and the follow-up.</summary>
    public int MinimumDelayHours { get; set; } = 18;

    /// <summary>How many of the manager's working days the search covers.</summary>
    public int HorizonWorkingDays { get; set; } = 5;

    /// <summary>Free minutes required before and after the slot on the manager's calendar.</summary>
    public int ManagerBufferMinutes { get; set; } = 15;

    /// <summary>Minutes kept free at the start and end of the manager's working day.</summary>
    public int ManagerEdgeMinutes { get; set; } = 30;

    /// <summary>Start of the manager's lunch window, manager's local time, "HH:mm".</summary>
    public string LunchStart { get; set; } = "12:00";

    public string LunchEnd { get; set; } = "13:00";

    /// <summary>The organisation's follow-up policy, or null when a value does not parse (the validator reports it).</summary>
    public FollowUpPolicy? ToPolicy() =>
        ReflectionPolicyOptions.TryParseTime(LunchStart, out var lunchStart) && ReflectionPolicyOptions.TryParseTime(LunchEnd, out var lunchEnd)
            ? FollowUpPolicy.Default with
            {
                CasualDuration = TimeSpan.FromMinutes(CasualMinutes),
                FormalDuration = TimeSpan.FromMinutes(FormalMinutes),
                MinimumDelay = TimeSpan.FromHours(MinimumDelayHours),
                HorizonWorkingDays = HorizonWorkingDays,
                ManagerBuffer = TimeSpan.FromMinutes(ManagerBufferMinutes),
                ManagerEdgeMargin = TimeSpan.FromMinutes(ManagerEdgeMinutes),
                LunchStart = lunchStart,
                LunchEnd = lunchEnd,
            }
            : null;
}

/// <summary>Reflection block defaults (section <c>Policy:Reflection</c>).</summary>
public sealed class ReflectionPolicyOptions
{
    /// <summary>Minutes between the end of the one-on-one and the earliest reflection start.</summary>
    public int CoolDownMinutes { get; set; } = 90;

    public int DurationMinutes { get; set; } = 30;

    /// <summary>Free minutes required before and after the block.</summary>
    public int BufferMinutes { get; set; } = 10;

    /// <summary>Local start of the lunch window, "HH:mm".</summary>
    public string LunchStart { get; set; } = "12:00";

    public string LunchEnd { get; set; } = "13:00";

    public int ReminderMinutes { get; set; } = 10;

    /// <summary>The organisation's policy, or null when a value does not parse (the validator reports it).</summary>
    public ReflectionPolicy? ToPolicy() =>
        TryParseTime(LunchStart, out var lunchStart) && TryParseTime(LunchEnd, out var lunchEnd)
            ? ReflectionPolicy.Default with
            {
                CoolDown = TimeSpan.FromMinutes(CoolDownMinutes),
                Duration = TimeSpan.FromMinutes(DurationMinutes),
                Buffer = TimeSpan.FromMinutes(BufferMinutes),
                LunchStart = lunchStart,
                LunchEnd = lunchEnd,
            }
            : null;

    internal static bool TryParseTime(string? value, out TimeOnly time) =>
        TimeOnly.TryParseExact(value, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
}

internal sealed class PolicyOptionsValidator : IValidateOptions<PolicyOptions>
{
    private const string ReflectionPrefix = "Policy:Reflection:";
    private const string FollowUpPrefix = "Policy:FollowUp:";

    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        var failures = new List<string>();
        ValidateReflection(options.Reflection, failures);
        ValidateFollowUp(options.FollowUp, failures);
        Range(failures, "Policy:Prep:", "Minutes", options.Prep.Minutes, 5, 60);
        Range(failures, "Policy:Prep:", "MinLeadMinutes", options.Prep.MinLeadMinutes, 0, 240);
        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add($"Policy:Mode must be EveryOneOnOne or WhenIFlag (got '{options.Mode}').");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateReflection(ReflectionPolicyOptions reflection, List<string> failures)
    {
        var before = failures.Count;
        Lunch(failures, ReflectionPrefix, reflection.LunchStart, reflection.LunchEnd);
        Range(failures, ReflectionPrefix, "CoolDownMinutes", reflection.CoolDownMinutes, 0, 1440);
        Range(failures, ReflectionPrefix, "DurationMinutes", reflection.DurationMinutes, 5, 240);
        Range(failures, ReflectionPrefix, "BufferMinutes", reflection.BufferMinutes, 0, 120);
        Range(failures, ReflectionPrefix, "ReminderMinutes", reflection.ReminderMinutes, 0, 1440);

        // The core policy checks how the values fit together (for example a lunch window that ends before it starts).
        if (failures.Count == before && reflection.ToPolicy() is { } policy)
        {
            failures.AddRange(policy.Validate().Select(error => $"Policy:Reflection: {error}"));
        }
    }

    private static void ValidateFollowUp(FollowUpPolicyOptions followUp, List<string> failures)
    {
        var before = failures.Count;
        Lunch(failures, FollowUpPrefix, followUp.LunchStart, followUp.LunchEnd);
        Range(failures, FollowUpPrefix, "CasualMinutes", followUp.CasualMinutes, 5, 120);
        Range(failures, FollowUpPrefix, "FormalMinutes", followUp.FormalMinutes, 5, 120);
        Range(failures, FollowUpPrefix, "MinimumDelayHours", followUp.MinimumDelayHours, 0, 168);
        Range(failures, FollowUpPrefix, "HorizonWorkingDays", followUp.HorizonWorkingDays, 1, 30);
        Range(failures, FollowUpPrefix, "ManagerBufferMinutes", followUp.ManagerBufferMinutes, 0, 120);
        Range(failures, FollowUpPrefix, "ManagerEdgeMinutes", followUp.ManagerEdgeMinutes, 0, 120);
        if (failures.Count == before && followUp.ToPolicy() is { } policy)
        {
            failures.AddRange(policy.Validate().Select(error => $"Policy:FollowUp: {error}"));
        }
    }

    private static void Lunch(List<string> failures, string prefix, string start, string end)
    {
        if (!ReflectionPolicyOptions.TryParseTime(start, out _))
        {
            failures.Add($"{prefix}LunchStart must be a time of day such as 12:00 (got '{start}').");
        }

        if (!ReflectionPolicyOptions.TryParseTime(end, out _))
        {
            failures.Add($"{prefix}LunchEnd must be a time of day such as 13:00 (got '{end}').");
        }
    }

    private static void Range(List<string> failures, string prefix, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{prefix}{setting} must be between {min} and {max} (got {value}).");
        }
    }
}
