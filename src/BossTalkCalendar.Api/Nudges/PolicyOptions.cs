using System.Globalization;
using BossTalkCalendar.Core.Scheduling;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>The organisation's nudge policy (section <c>Policy</c>); users may override some of it.</summary>
public sealed class PolicyOptions
{
    public const string SectionName = "Policy";

    public ReflectionPolicyOptions Reflection { get; set; } = new();
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
    private const string Prefix = "Policy:Reflection:";

    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        var reflection = options.Reflection;
        var failures = new List<string>();
        if (!ReflectionPolicyOptions.TryParseTime(reflection.LunchStart, out _))
        {
            failures.Add($"{Prefix}LunchStart must be a time of day such as 12:00 (got '{reflection.LunchStart}').");
        }

        if (!ReflectionPolicyOptions.TryParseTime(reflection.LunchEnd, out _))
        {
            failures.Add($"{Prefix}LunchEnd must be a time of day such as 13:00 (got '{reflection.LunchEnd}').");
        }

        Range(failures, "CoolDownMinutes", reflection.CoolDownMinutes, 0, 1440);
        Range(failures, "DurationMinutes", reflection.DurationMinutes, 5, 240);
        Range(failures, "BufferMinutes", reflection.BufferMinutes, 0, 120);
        Range(failures, "ReminderMinutes", reflection.ReminderMinutes, 0, 1440);

        // The core policy checks how the values fit together (for example a lunch window that ends before it starts).
        if (failures.Count == 0 && reflection.ToPolicy() is { } policy)
        {
            failures.AddRange(policy.Validate().Select(error => $"Policy:Reflection: {error}"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{Prefix}{setting} must be between {min} and {max} (got {value}).");
        }
    }
}
