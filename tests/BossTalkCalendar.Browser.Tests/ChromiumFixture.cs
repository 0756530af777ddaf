using Microsoft.Playwright;

namespace BossTalkCalendar.Browser.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright's bundled driver (nothing downloaded), headless, with a fresh profile
/// and the flags that keep it off the network on this machine.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private readonly string _profile = Path.Combine(Path.GetTempPath(), "bosstalk-chromium", Guid.NewGuid().ToString("N"));
    private IPlaywright? _playwright;
    private IBrowserContext? _context;

    public IBrowserContext Context => _context ?? throw new InvalidOperationException("Chromium did not start.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium at {ExecutablePath}, which is missing. Install it with " +
                "'apt-get install chromium' (tests/run.sh installs it when missing).");
        }

        Directory.CreateDirectory(_profile);
        _playwright = await Playwright.CreateAsync();
        _context = await _playwright.Chromium.LaunchPersistentContextAsync(_profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ChromiumArgs,
            Locale = "en-GB",
            ViewportSize = new ViewportSize { Width = 360, Height = 900 },
        });
    }

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.CloseAsync();
        }

        _playwright?.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be flushing its profile; the temp folder is cleaned up later anyway.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ChromiumFixture>
{
    // One browser for the whole suite, and its tests one after another: the machine has two cores.
    public const string Name = "Browser";
}
