using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace BossTalkCalendar.Testing;

/// <summary>
/// The settings a test starts the service with (in process, as a child process, or under benchmark), written once:
/// the safe starting points below, then what each caller adds with <see cref="With(string, string?)"/>.
/// Keys are configuration keys (<c>Jobs:PollInterval</c>), compared without case as configuration does.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Settings of the service, read as a dictionary by the hosts; not a general collection.")]
public sealed class ServiceSettings : IReadOnlyDictionary<string, string?>
{
    /// <summary>A cron expression that never fires (31 February): tests trigger recurring jobs themselves.</summary>
    public const string Never = "0 0 31 2 *";

    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The service serving a tenant (sandbox off) with its data in <paramref name="dataDirectory"/> and Graph at
    /// <paramref name="graphBaseUrl"/> (the service's default when null). Nothing recurring fires on its own and no
    /// sweep runs at start-up; logs from warnings up.
    /// </summary>
    public static ServiceSettings Tenant(string dataDirectory, Uri? graphBaseUrl) =>
        new ServiceSettings()
            .With("Storage:DataDirectory", dataDirectory)
            .With("Sandbox:Enabled", "false")
            .AllowHttpPublicBaseUrl()
            .With("Graph:BaseUrl", graphBaseUrl?.ToString())
            .With("Jobs:SweepOnStartup", "false")
            .With("Jobs:SweepCron", Never)
            .With("Rollout:RefreshCron", Never)
            .With("Rollout:RetentionCron", Never)
            .With("Logging:LogLevel:Default", "Warning");

    /// <summary>
    /// The service in sandbox mode (its in-process simulator on a free port, the demo tenant, the development issuer)
    /// with its data in <paramref name="dataDirectory"/>, reached at <paramref name="publicBaseUrl"/>; logs from warnings up.
    /// </summary>
    public static ServiceSettings Sandbox(string dataDirectory, Uri publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        return new ServiceSettings()
            .With("Storage:DataDirectory", dataDirectory)
            .With("Sandbox:Enabled", "true")
            .With("Sandbox:GraphPort", "0")
            .With("Service:PublicBaseUrl", publicBaseUrl.GetLeftPart(UriPartial.Authority))
            .With("Logging:LogLevel:Default", "Warning");
    }

    /// <summary>
    /// A tenant's service refuses an http public address; tests serve from the default http://localhost:5080 or a
    /// loopback port.
    /// </summary>
    public ServiceSettings AllowHttpPublicBaseUrl() => With("Service:AllowHttpPublicBaseUrl", "true");

    /// <summary>Two Hangfire workers instead of four: a test host shares two cores with the simulator and the test.</summary>
    public ServiceSettings TwoWorkers() => With("Jobs:WorkerCount", "2");

    /// <summary>Sets <paramref name="key"/>; a null value drops it, so the service's own default applies.</summary>
    public ServiceSettings With(string key, string? value)
    {
        if (value is null)
        {
            _values.Remove(key);
        }
        else
        {
            _values[key] = value;
        }

        return this;
    }

    /// <summary>Sets every key of <paramref name="more"/> (nothing when null), as <see cref="With(string, string?)"/> does.</summary>
    public ServiceSettings With(IEnumerable<KeyValuePair<string, string?>>? more)
    {
        foreach (var (key, value) in more ?? [])
        {
            With(key, value);
        }

        return this;
    }

    public string? this[string key] => _values[key];

    public IEnumerable<string> Keys => _values.Keys;

    public IEnumerable<string?> Values => _values.Values;

    public int Count => _values.Count;

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value) => _values.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
