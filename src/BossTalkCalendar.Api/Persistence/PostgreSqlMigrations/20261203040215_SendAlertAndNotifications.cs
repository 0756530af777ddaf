using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BossTalkCalendar.Api.Persistence.PostgreSqlMigrations
{
    /// <inheritdoc />
    public partial class SendAlertAndNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RescanDueUnixMs",
                table: "EnrolledUsers",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SendAlert",
                table: "EnrolledUsers",
                type: "boolean",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CalendarSubscriptions",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SubscriptionId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    ClientState = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ExpiresAtUnixMs = table.Column<long>(type: "bigint", nullable: false),
                    ClaimedUntilUnixMs = table.Column<long>(type: "bigint", nullable: false),
                    LastFailure = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalendarSubscriptions", x => new { x.TenantId, x.UserId });
                });

            migrationBuilder.CreateTable(
                name: "NotificationReceipts",
                columns: table => new
                {
                    Fingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ReceivedAtUnixMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationReceipts", x => x.Fingerprint);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CalendarSubscriptions_SubscriptionId",
                table: "CalendarSubscriptions",
                column: "SubscriptionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_NotificationReceipts_ReceivedAtUnixMs",
                table: "NotificationReceipts",
                column: "ReceivedAtUnixMs");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CalendarSubscriptions");

            migrationBuilder.DropTable(
                name: "NotificationReceipts");

            migrationBuilder.DropColumn(
                name: "RescanDueUnixMs",
                table: "EnrolledUsers");

            migrationBuilder.DropColumn(
                name: "SendAlert",
                table: "EnrolledUsers");
        }
    }
}
