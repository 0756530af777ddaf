using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BossTalkCalendar.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SendAlert : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "SendAlert",
                table: "EnrolledUsers",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SendAlert",
                table: "EnrolledUsers");
        }
    }
}
