namespace BossTalkCalendar.Core.Scheduling;

/// <summary>
/// Shared validation of policy values. Messages are only formatted for failing checks, so validating a good
/// policy on every finder call costs no allocation.
/// </summary>
internal struct PolicyChecks
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly List<string>? _errors;

    public PolicyChecks(List<string>? errors) => _errors = errors;

    public string? First { get; private set; }

    public void Require(bool condition, string message)
    {
        if (!condition)
        {
            Fail(message);
        }
    }

    public void Range(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max)
        {
            Fail($"{name} must be between {min:c} and {max:c} (was {value:c}).");
        }
    }

    public void Alignment(TimeSpan value, string name)
    {
        if (value < TimeSpan.FromMinutes(1) || value > Hour || Hour.Ticks % value.Ticks != 0)
        {
            Fail($"{name} must be at least one minute and divide an hour evenly, e.g. 5, 10 or 15 minutes (was {value:c}).");
        }
    }

    public void Lunch(TimeOnly start, TimeOnly end)
    {
        if (end < start)
        {
            Fail($"LunchEnd ({end:HH\\:mm}) must not be before LunchStart ({start:HH\\:mm}); make them equal for no lunch window.");
        }
    }

    private void Fail(string message)
    {
        First ??= message;
        _errors?.Add(message);
    }
}
