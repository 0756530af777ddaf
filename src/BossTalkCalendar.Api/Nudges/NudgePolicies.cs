using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Scheduling;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>The organisation's policy with a user's own preferences laid over it.</summary>
public sealed class NudgePolicies(IOptions<PolicyOptions> options)
{
    public int ReminderMinutes => options.Value.Reflection.ReminderMinutes;

    public ReflectionPolicy OrganisationReflection =>
        options.Value.Reflection.ToPolicy() ?? throw new InvalidOperationException("Policy:Reflection is invalid; start-up validation should have stopped the service.");

    public FollowUpPolicy FollowUp =>
        options.Value.FollowUp.ToPolicy() ?? throw new InvalidOperationException("Policy:FollowUp is invalid; start-up validation should have stopped the service.");

    public PrepPolicy Prep => options.Value.Prep.ToPolicy();

    /// <summary>The organisation's default for when reflections are placed.</summary>
    public NudgeMode OrganisationMode => options.Value.Mode;

    /// <summary>When reflections are placed for this user: their own choice, else the organisation's.</summary>
    public NudgeMode ModeFor(EnrolledUser? user) => user?.Mode ?? options.Value.Mode;

    /// <summary>Whether the send-time alert is on for this user: their own choice, else the organisation's.</summary>
    public bool SendAlertFor(EnrolledUser? user) => user?.SendAlert ?? options.Value.SendAlert;

    /// <summary>The reflection policy for one user; preferences that would make it invalid are ignored.</summary>
    public ReflectionPolicy ReflectionFor(EnrolledUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var organisation = OrganisationReflection;
        var personal = organisation with
        {
            CoolDown = user.CoolDownMinutes is { } coolDown ? TimeSpan.FromMinutes(coolDown) : organisation.CoolDown,
            Duration = user.ReflectionMinutes is { } duration ? TimeSpan.FromMinutes(duration) : organisation.Duration,
        };
        return personal.Validate().Any() ? organisation : personal;
    }
}
