using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BossTalkCalendar.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EnrolledUsers",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Enrolled = table.Column<bool>(type: "INTEGER", nullable: false),
                    OptedOut = table.Column<bool>(type: "INTEGER", nullable: false),
                    Paused = table.Column<bool>(type: "INTEGER", nullable: false),
                    CoolDownMinutes = table.Column<int>(type: "INTEGER", nullable: true),
                    ReflectionMinutes = table.Column<int>(type: "INTEGER", nullable: true),
                    Counterpart = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    LastScanAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    LastScanFailure = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EnrolledUsers", x => new { x.TenantId, x.UserId });
                });

            migrationBuilder.CreateTable(
                name: "Nudges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    UniqueKey = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    MeetingEventId = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    MeetingICalUId = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    OccurrenceStart = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    MeetingEnd = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SlotStart = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    SlotEnd = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    CreatedEventId = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    TransactionId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    HangfireJobId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Nudges", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Nudges_State",
                table: "Nudges",
                column: "State");

            migrationBuilder.CreateIndex(
                name: "IX_Nudges_TenantId_UserId",
                table: "Nudges",
                columns: new[] { "TenantId", "UserId" });

            migrationBuilder.CreateIndex(
                name: "IX_Nudges_UniqueKey",
                table: "Nudges",
                column: "UniqueKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EnrolledUsers");

            migrationBuilder.DropTable(
                name: "Nudges");
        }
    }
}
