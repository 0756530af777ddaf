using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BossTalkCalendar.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AdminRevoke : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AdminRevoked",
                table: "Teams",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AdminRevoked",
                table: "Teams");
        }
    }
}
