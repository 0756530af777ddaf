using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BossTalkCalendar.Api.Persistence.PostgreSqlMigrations
{
    /// <inheritdoc />
    public partial class Outcomes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "NextMeetingEventId",
                table: "Nudges",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "NextMeetingStart",
                table: "Nudges",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Mode",
                table: "EnrolledUsers",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Relationship",
                table: "EnrolledUsers",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "MeetingOutcomes",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    MeetingICalUId = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    OccurrenceStart = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MeetingOutcomes", x => new { x.TenantId, x.UserId, x.MeetingICalUId, x.OccurrenceStart });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MeetingOutcomes");

            migrationBuilder.DropColumn(
                name: "NextMeetingEventId",
                table: "Nudges");

            migrationBuilder.DropColumn(
                name: "NextMeetingStart",
                table: "Nudges");

            migrationBuilder.DropColumn(
                name: "Mode",
                table: "EnrolledUsers");

            migrationBuilder.DropColumn(
                name: "Relationship",
                table: "EnrolledUsers");
        }
    }
}
