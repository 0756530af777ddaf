using BossTalkCalendar.Core.Scheduling;

namespace BossTalkCalendar.Core.Tests.Scheduling;

public class PolicyTests
{
    [Fact]
    public void Validate_ReturnsNoErrors_ForDefaults()
    {
        Assert.Empty(ReflectionPolicy.Default.Validate());
        Assert.Empty(FollowUpPolicy.Default.Validate());
    }

    [Fact]
    public void Default_MatchesDesignDefaults()
    {
        var reflection = ReflectionPolicy.Default;
        Assert.Equal(TimeSpan.FromMinutes(90), reflection.CoolDown);
        Assert.Equal(TimeSpan.FromMinutes(30), reflection.Duration);
        Assert.Equal(TimeSpan.FromMinutes(10), reflection.Buffer);
        Assert.Equal(new TimeOnly(12, 0), reflection.LunchStart);
        Assert.Equal(new TimeOnly(13, 0), reflection.LunchEnd);
        Assert.Equal(TimeSpan.FromMinutes(5), reflection.Alignment);

        var followUp = FollowUpPolicy.Default;
        Assert.Equal(TimeSpan.FromHours(18), followUp.MinimumDelay);
        Assert.Equal(5, followUp.HorizonWorkingDays);
        Assert.Equal(TimeSpan.FromMinutes(15), followUp.ManagerBuffer);
        Assert.Equal(TimeSpan.FromMinutes(30), followUp.ManagerEdgeMargin);
    }

    [Theory]
    [InlineData(nameof(ReflectionPolicy.CoolDown))]
    [InlineData(nameof(ReflectionPolicy.Duration))]
    [InlineData(nameof(ReflectionPolicy.Buffer))]
    [InlineData(nameof(ReflectionPolicy.LunchEnd))]
    [InlineData(nameof(ReflectionPolicy.Alignment))]
    public void Validate_NamesTheProblem_WhenReflectionValueIsAbsurd(string property)
    {
        var policy = property switch
        {
            nameof(ReflectionPolicy.CoolDown) => ReflectionPolicy.Default with { CoolDown = TimeSpan.FromMinutes(-1) },
            nameof(ReflectionPolicy.Duration) => ReflectionPolicy.Default with { Duration = TimeSpan.FromHours(5) },
            nameof(ReflectionPolicy.Buffer) => ReflectionPolicy.Default with { Buffer = TimeSpan.FromMinutes(-5) },
            nameof(ReflectionPolicy.LunchEnd) => ReflectionPolicy.Default with { LunchStart = new TimeOnly(13, 0), LunchEnd = new TimeOnly(12, 0) },
            _ => ReflectionPolicy.Default with { Alignment = TimeSpan.FromMinutes(7) },
        };

        var error = Assert.Single(policy.Validate());
        Assert.Contains(property, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReportsEveryProblem_WhenSeveralValuesAreWrong()
    {
        var policy = ReflectionPolicy.Default with { Duration = TimeSpan.Zero, Alignment = TimeSpan.Zero };
        Assert.Equal(2, policy.Validate().Count);
    }

    [Fact]
    public void Validate_AllowsEqualLunchTimes_AsNoLunchWindow()
    {
        Assert.Empty((ReflectionPolicy.Default with { LunchStart = new TimeOnly(12, 0), LunchEnd = new TimeOnly(12, 0) }).Validate());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public void Validate_RejectsHorizon_WhenOutOfRange(int days)
    {
        var error = Assert.Single((FollowUpPolicy.Default with { HorizonWorkingDays = days }).Validate());
        Assert.Contains(nameof(FollowUpPolicy.HorizonWorkingDays), error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RejectsFollowUpValues_WhenNegativeOrTooLong()
    {
        var policy = FollowUpPolicy.Default with
        {
            CasualDuration = TimeSpan.FromHours(5),
            ManagerBuffer = TimeSpan.FromMinutes(-1),
            ManagerEdgeMargin = TimeSpan.FromMinutes(-1),
            MinimumDelay = TimeSpan.FromMinutes(-1),
        };
        Assert.Equal(4, policy.Validate().Count);
    }
}
