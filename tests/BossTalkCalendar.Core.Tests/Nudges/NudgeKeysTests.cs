using System.Text.RegularExpressions;
using BossTalkCalendar.Core.Nudges;
using static BossTalkCalendar.Core.Tests.Support.Zones;

namespace BossTalkCalendar.Core.Tests.Nudges;

public class NudgeKeysTests
{
    private const string Tenant = "9F3C2A10-0000-4000-8000-000000000001";
    private const string User = "4B1D0C22-0000-4000-8000-000000000002";
    private const string ICalUId = "040000008200E00074C5B7101A82E00800000000ABCDEF";

    [Fact]
    public void UniqueKey_IsNormalised_ForCaseWhitespaceAndOffset()
    {
        var start = Utc("2025-06-16 09:00");
        var a = NudgeKeys.UniqueKey(Tenant, User, ICalUId, start, NudgeKind.Reflection);
        var b = NudgeKeys.UniqueKey($" {Tenant.ToLowerInvariant()} ", User.ToLowerInvariant(), ICalUId.ToLowerInvariant(), start.ToOffset(TimeSpan.FromHours(2)), NudgeKind.Reflection);
        Assert.Equal(a, b);
        Assert.Equal(
            $"{Tenant.ToLowerInvariant()}|{User.ToLowerInvariant()}|reflection|2025-06-16T09:00:00Z|{ICalUId.ToLowerInvariant()}",
            a);
    }

    [Fact]
    public void UniqueKey_Differs_ForKindOccurrenceUserAndMeeting()
    {
        var start = Utc("2025-06-16 09:00");
        var keys = new[]
        {
            NudgeKeys.UniqueKey(Tenant, User, ICalUId, start, NudgeKind.Reflection),
            NudgeKeys.UniqueKey(Tenant, User, ICalUId, start, NudgeKind.FollowUp),
            NudgeKeys.UniqueKey(Tenant, User, ICalUId, start.AddDays(7), NudgeKind.Reflection),
            NudgeKeys.UniqueKey(Tenant, "other-user", ICalUId, start, NudgeKind.Reflection),
            NudgeKeys.UniqueKey(Tenant, User, ICalUId + "0", start, NudgeKind.Reflection),
            NudgeKeys.UniqueKey("other-tenant", User, ICalUId, start, NudgeKind.Reflection),
        };
        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("a|b", User)]
    [InlineData(Tenant, "a|b")]
    [InlineData("", User)]
    [InlineData(Tenant, " ")]
    public void UniqueKey_Throws_WhenIdIsEmptyOrContainsSeparator(string tenant, string user)
    {
        Assert.Throws<ArgumentException>(() => NudgeKeys.UniqueKey(tenant, user, ICalUId, Utc("2025-06-16 09:00"), NudgeKind.Reflection));
    }

    [Fact]
    public void TransactionId_IsDeterministicVersion8Guid()
    {
        var key = NudgeKeys.UniqueKey(Tenant, User, ICalUId, Utc("2025-06-16 09:00"), NudgeKind.Reflection);
        var id = NudgeKeys.TransactionId(key);
        Assert.Equal(id, NudgeKeys.TransactionId(key));
        Assert.Matches(new Regex("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"), id);
    }

    [Fact]
    public void TransactionId_Differs_ForDifferentKeys()
    {
        var start = Utc("2025-06-16 09:00");
        var reflection = NudgeKeys.TransactionId(NudgeKeys.UniqueKey(Tenant, User, ICalUId, start, NudgeKind.Reflection));
        var followUp = NudgeKeys.TransactionId(NudgeKeys.UniqueKey(Tenant, User, ICalUId, start, NudgeKind.FollowUp));
        Assert.NotEqual(reflection, followUp);
    }

    [Fact]
    public void ExtendedPropertyId_UsesGraphSingleValueFormat()
    {
        Assert.Equal("String {b3dbb55d-d4ce-433c-a10a-729fa50e30c6} Name BossTalk.Source", NudgeKeys.ExtendedPropertyId);
        Assert.Equal(new Guid("b3dbb55d-d4ce-433c-a10a-729fa50e30c6"), NudgeKeys.ExtendedPropertyNamespace);
    }

    [Theory]
    [InlineData(NudgeKind.Reflection)]
    [InlineData(NudgeKind.FollowUp)]
    public void SourceValue_RoundTrips(NudgeKind kind)
    {
        var value = NudgeKeys.SourceValue(kind, "abc|def");
        Assert.True(NudgeKeys.TryParseSourceValue(value, out var parsedKind, out var parsedId));
        Assert.Equal(kind, parsedKind);
        Assert.Equal("abc|def", parsedId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("reflection")]
    [InlineData("reflection|")]
    [InlineData("meeting|abc")]
    public void TryParseSourceValue_ReturnsFalse_ForForeignValues(string? value)
    {
        Assert.False(NudgeKeys.TryParseSourceValue(value, out _, out _));
    }
}
