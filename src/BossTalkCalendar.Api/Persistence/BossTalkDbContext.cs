using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BossTalkCalendar.Api.Persistence;

/// <summary>
/// The service's own data: who is enrolled and what was nudged. No calendar content. This type carries the SQLite
/// migrations; <see cref="PostgreSqlBossTalkDbContext"/> is the same model with PostgreSQL's.
/// </summary>
public class BossTalkDbContext : DbContext
{
    public BossTalkDbContext(DbContextOptions<BossTalkDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's subclass: EF Core tells migrations apart by the context type.</summary>
    protected BossTalkDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<EnrolledUser> EnrolledUsers => Set<EnrolledUser>();

    public DbSet<Nudge> Nudges => Set<Nudge>();

    /// <summary>How the user said a one-on-one went; erased once acted on (see <c>Outcomes/MeetingOutcomes</c>).</summary>
    public DbSet<MeetingOutcome> MeetingOutcomes => Set<MeetingOutcome>();

    public DbSet<Team> Teams => Set<Team>();

    public DbSet<TeamSnapshot> TeamSnapshots => Set<TeamSnapshot>();

    /// <summary>Who is placing events on a user's calendar right now (see <c>Nudges/UserLeases</c>).</summary>
    public DbSet<UserLease> UserLeases => Set<UserLease>();

    /// <summary>Change-notification subscriptions on enrolled users' calendars.</summary>
    public DbSet<CalendarSubscription> CalendarSubscriptions => Set<CalendarSubscription>();

    /// <summary>Fingerprints of change notifications already acted on, so a replay costs nothing.</summary>
    public DbSet<NotificationReceipt> NotificationReceipts => Set<NotificationReceipt>();

    /// <summary>Append-only: <see cref="SaveChanges(bool)"/> refuses to change or delete an entry.</summary>
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        AuditEntry.EnsureAppendOnly(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        AuditEntry.EnsureAppendOnly(ChangeTracker);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Instants are stored in UTC so that every provider compares and orders them the same way.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        RolloutModel.Configure(modelBuilder);
        modelBuilder.Entity<EnrolledUser>(user =>
        {
            user.HasKey(u => new { u.TenantId, u.UserId });
            user.Property(u => u.TenantId).HasMaxLength(64);
            user.Property(u => u.UserId).HasMaxLength(64);
            user.Property(u => u.Counterpart).HasConversion<string>().HasMaxLength(16);
            user.Property(u => u.LastScanFailure).HasMaxLength(64);
            user.Property(u => u.RescanEventId).HasMaxLength(512);
            user.Property(u => u.Mode).HasConversion<string>().HasMaxLength(16);
            user.Property(u => u.Relationship).HasConversion<string>().HasMaxLength(16);
            user.Ignore(u => u.IsActive);
        });

        modelBuilder.Entity<UserLease>(lease =>
        {
            lease.HasKey(l => new { l.TenantId, l.UserId });
            lease.Property(l => l.TenantId).HasMaxLength(64);
            lease.Property(l => l.UserId).HasMaxLength(64);
            lease.Property(l => l.Holder).HasMaxLength(64);
        });

        modelBuilder.Entity<Nudge>(nudge =>
        {
            nudge.HasKey(n => n.Id);
            nudge.HasIndex(n => n.UniqueKey).IsUnique();
            nudge.HasIndex(n => new { n.TenantId, n.UserId });
            nudge.HasIndex(n => n.State);
            nudge.Property(n => n.TenantId).HasMaxLength(64);
            nudge.Property(n => n.UserId).HasMaxLength(64);
            nudge.Property(n => n.Kind).HasConversion<string>().HasMaxLength(16);
            nudge.Property(n => n.State).HasConversion<string>().HasMaxLength(16);
            nudge.Property(n => n.UniqueKey).HasMaxLength(256);
            nudge.Property(n => n.MeetingEventId).HasMaxLength(512);
            nudge.Property(n => n.MeetingSeriesMasterId).HasMaxLength(512);
            nudge.Property(n => n.MeetingICalUId).HasMaxLength(512);
            nudge.Property(n => n.Reason).HasMaxLength(64);
            nudge.Property(n => n.CreatedEventId).HasMaxLength(512);
            nudge.Property(n => n.TransactionId).HasMaxLength(128);
            nudge.Property(n => n.HangfireJobId).HasMaxLength(64);
            nudge.Property(n => n.Tone).HasConversion<string>().HasMaxLength(16);
            nudge.Property(n => n.TimeZoneId).HasMaxLength(64);
            nudge.Property(n => n.NextMeetingEventId).HasMaxLength(512);
        });

        modelBuilder.Entity<CalendarSubscription>(subscription =>
        {
            subscription.HasKey(c => new { c.TenantId, c.UserId });
            subscription.HasIndex(c => c.SubscriptionId).IsUnique();
            subscription.Property(c => c.TenantId).HasMaxLength(64);
            subscription.Property(c => c.UserId).HasMaxLength(64);
            subscription.Property(c => c.SubscriptionId).HasMaxLength(128);
            subscription.Property(c => c.ClientState).HasMaxLength(128);
            subscription.Property(c => c.LastFailure).HasMaxLength(64);
        });

        modelBuilder.Entity<NotificationReceipt>(receipt =>
        {
            receipt.HasKey(r => r.Fingerprint);
            receipt.Property(r => r.Fingerprint).HasMaxLength(64);
            receipt.HasIndex(r => r.ReceivedAtUnixMs);
        });

        modelBuilder.Entity<MeetingOutcome>(outcome =>
        {
            outcome.HasKey(o => new { o.TenantId, o.UserId, o.MeetingICalUId, o.OccurrenceStart });
            outcome.Property(o => o.TenantId).HasMaxLength(64);
            outcome.Property(o => o.UserId).HasMaxLength(64);
            outcome.Property(o => o.MeetingICalUId).HasMaxLength(512);
            outcome.Property(o => o.Outcome).HasConversion<string>().HasMaxLength(16);
        });
    }

    private sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        value => value.ToUniversalTime(),
        value => value);
}
