using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BossTalkCalendar.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RescanEventId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RescanEventId",
                table: "EnrolledUsers",
                type: "TEXT",
                maxLength: 512,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RescanEventId",
                table: "EnrolledUsers");
        }
    }
}
