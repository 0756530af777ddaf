namespace BossTalkCalendar.Deploy.Tests;

[Collection(ImageCollection.Name)]
public sealed class StartupRefusalTests
{
    [Fact]
    public async Task WithoutATenantTheImageRefusesToStartAndNamesGraphTenantId()
    {
        await Podman.EnsureImageAsync();

        // Nothing configured: the image's environment is Production, where no tenant means no start (never a sandbox).
        var run = await Podman.RunAsync("run", "--rm", "--network=host", "--env", "ASPNETCORE_URLS=http://127.0.0.1:0", Podman.Image);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Graph:TenantId", run.All, StringComparison.Ordinal);
    }
}
