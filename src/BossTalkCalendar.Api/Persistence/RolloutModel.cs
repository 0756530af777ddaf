using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Persistence;

/// <summary>The rollout's tables in <see cref="BossTalkDbContext"/>: teams, their daily figures, members and the audit trail (written by <c>Rollout/</c>).</summary>
internal static class RolloutModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Team>(team =>
        {
            team.HasKey(t => new { t.TenantId, t.ManagerId });
            team.Property(t => t.TenantId).HasMaxLength(64);
            team.Property(t => t.ManagerId).HasMaxLength(64);
            team.Property(t => t.State).HasConversion<string>().HasMaxLength(16);
            team.Property(t => t.ApprovedBy).HasMaxLength(64);
            team.Property(t => t.RevokedBy).HasMaxLength(64);
            team.HasIndex(t => t.State);
        });

        modelBuilder.Entity<TeamSnapshot>(snapshot =>
        {
            snapshot.HasKey(s => new { s.TenantId, s.ManagerId, s.Day });
            snapshot.Property(s => s.TenantId).HasMaxLength(64);
            snapshot.Property(s => s.ManagerId).HasMaxLength(64);
        });

        modelBuilder.Entity<EnrolledUser>(user =>
        {
            user.Property(u => u.ManagerId).HasMaxLength(64);
            user.HasIndex(u => new { u.TenantId, u.ManagerId });
        });

        modelBuilder.Entity<AuditEntry>(entry =>
        {
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Id).ValueGeneratedOnAdd();
            entry.Property(e => e.TenantId).HasMaxLength(64);
            entry.Property(e => e.ActorId).HasMaxLength(64);
            entry.Property(e => e.Action).HasMaxLength(32);
            entry.Property(e => e.SubjectId).HasMaxLength(64);
            entry.HasIndex(e => new { e.TenantId, e.Id });
            entry.HasIndex(e => new { e.TenantId, e.SubjectId });
        });
    }
}
