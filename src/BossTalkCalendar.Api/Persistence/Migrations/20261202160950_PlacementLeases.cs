using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BossTalkCalendar.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PlacementLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CreateSentAt",
                table: "Nudges",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "UserLeases",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ExpiresAtUnixMs = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserLeases", x => new { x.TenantId, x.UserId });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UserLeases");

            migrationBuilder.DropColumn(
                name: "CreateSentAt",
                table: "Nudges");
        }
    }
}
