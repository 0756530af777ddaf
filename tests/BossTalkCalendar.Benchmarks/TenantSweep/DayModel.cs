using System.Globalization;
using BossTalkCalendar.Api.Notifications;
using BossTalkCalendar.Graph;

namespace BossTalkCalendar.Benchmarks.TenantSweep;

/// <summary>
/// The notify run's day model (issue #14): requests/user/day composed from unit costs, each measured once, as
/// renewals + safety net + C changes × cost per change + 0.2 one-on-ones × cost each + D directory refreshes × the
/// cold directory cost. The service's defaults (subscription lifetime, directory cache) are read from its options.
/// </summary>
/// <param name="ChangesPerDay">C: changes per user per day (an assumption, not a measurement).</param>
/// <param name="PerChange">Calendar requests one change costs when it is read at once (FoldWindow 0).</param>
/// <param name="SafetyPerUser">Requests one safety-net sweep costs per user.</param>
/// <param name="PerOneOnOne">Calendar requests per one-on-one (its notification's scan and its placement).</param>
/// <param name="DirectoryPerOneOnOne">Mailbox settings and directory requests per one-on-one (cold).</param>
/// <param name="DirectoryRefreshes">D: directory cache refreshes per user per day.</param>
/// <param name="DirectoryCold">Directory requests per user when nothing is cached.</param>
internal sealed record DayModel(
    double ChangesPerDay,
    double PerChange,
    double SafetyPerUser,
    double PerOneOnOne,
    double DirectoryPerOneOnOne,
    double DirectoryRefreshes,
    double DirectoryCold)
{
    /// <summary>One one-on-one a week per user.</summary>
    public const double OneOnOnesPerDay = 0.2;

    /// <summary>The safety net's default schedule, every 6 hours (Notifications:SafetyNetCron).</summary>
    public const double SafetyNetSweepsPerDay = 4;

    private static readonly NotificationOptions Defaults = new();

    public static double RenewalsPerDay => 1 / (Defaults.SubscriptionLifetime - Defaults.RenewBefore).TotalDays;

    public double SafetyNet => SafetyPerUser * SafetyNetSweepsPerDay;

    public double Changes => ChangesPerDay * PerChange;

    public double OneOnOnes => OneOnOnesPerDay * (PerOneOnOne + DirectoryPerOneOnOne);

    public double Directory => DirectoryRefreshes * DirectoryCold;

    public double Total => RenewalsPerDay + SafetyNet + Changes + OneOnOnes + Directory;

    /// <summary>The model's lines, each with its formula; <paramref name="target"/> is the requests/user/day aimed at.</summary>
    public void Print(string title, double target)
    {
        Console.WriteLine(title);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  renewals         1 / (SubscriptionLifetime {Defaults.SubscriptionLifetime.TotalDays:F1} d − RenewBefore {Defaults.RenewBefore.TotalDays:F1} d) = {RenewalsPerDay:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  safety net       {SafetyNetSweepsPerDay} sweeps/day × {SafetyPerUser:F3} measured/user = {SafetyNet:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  changes          {ChangesPerDay}/day × {PerChange:F3} calendar requests/change = {Changes:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  one-on-ones      {OneOnOnesPerDay}/day × ({PerOneOnOne:F3} calendar requests (its notification's scan + placement) + {DirectoryPerOneOnOne:F3} mailbox settings/directory, cold) = {OneOnOnes:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  directory/mailbox {DirectoryRefreshes} cache refreshes/day (Graph:DirectoryCacheDuration {new GraphOptions().DirectoryCacheDuration.TotalHours:F0} h) × {DirectoryCold:F3} requests cold (enrol phase) = {Directory:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  total            {Total:F2} requests/user/day (target ≤ {target}; polling every 15 min: 96)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  break-even       ≤ {target} holds up to {(target - (Total - Changes)) / Math.Max(PerChange, 1e-9):F2} changes/user/day at {DirectoryRefreshes} directory refreshes/day"));
    }
}
