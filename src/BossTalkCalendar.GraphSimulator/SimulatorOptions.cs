namespace BossTalkCalendar.GraphSimulator;

/// <summary>
/// How the simulator listens, persists and misbehaves. The failure settings are read on every request, so they can be
/// changed on a running host (<see cref="GraphSimulatorHost.Options"/>).
/// </summary>
public sealed class SimulatorOptions
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>
    /// When set, the whole tenant is loaded from this file if it exists (the seed is then ignored) and written back
    /// after every change (temp file + rename). A request that changed state is answered only once it is on disk.
    /// </summary>
    public string? StateFile { get; set; }

    /// <summary>Requests admitted in flight per mailbox; the next one gets 429 ApplicationThrottled. 0 = unlimited.</summary>
    public int MailboxConcurrencyLimit { get; set; } = 4;

    /// <summary>App-wide request rate (token bucket, one second of burst); over it: 429 with Retry-After. 0 = unlimited.</summary>
    public double RequestsPerSecond { get; set; }

    /// <summary>Fraction of requests answered 503 with Retry-After: 1.</summary>
    public double FailureRate { get; set; }

    /// <summary>
    /// Fraction of requests answered 502 or 503 with a <c>text/html</c> body and no Retry-After, as Graph's front
    /// doors sometimes do (msgraph-sdk-dotnet issues 2407, 2803, 3009; see docs/graph.md, "HTML error bodies").
    /// </summary>
    public double HtmlErrorRate { get; set; }

    /// <summary>
    /// Fraction of successful writes (POST, PATCH, DELETE; not <c>$batch</c>) whose answer is lost after the change was
    /// made: the client gets 504 with an HTML body, or a dropped connection when <see cref="LostResponseAbortsConnection"/>
    /// is set (see docs/graph.md, "Lost responses").
    /// </summary>
    public double LostResponseRate { get; set; }

    /// <summary>With <see cref="LostResponseRate"/>: drop the connection instead of answering 504.</summary>
    public bool LostResponseAbortsConnection { get; set; }

    /// <summary>Wall-clock delay added to every admitted request.</summary>
    public TimeSpan AddedLatency { get; set; }

    /// <summary>Fraction of requests that also take <see cref="LatencySpike"/>.</summary>
    public double LatencySpikeRate { get; set; }

    public TimeSpan LatencySpike { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Seed of the dice for failures and spikes (read at start).</summary>
    public int RandomSeed { get; set; } = 1;

    /// <summary>
    /// Where notifications for the service's public https URLs are actually delivered (a loopback http origin): the
    /// TLS-terminating proxy in front of a deployed service. Null: delivered to the URL as given.
    /// </summary>
    public Uri? NotificationIngress { get; set; }

    /// <summary>Sends validation requests and notifications through this handler (an in-process test server) instead of the network.</summary>
    public HttpMessageHandler? NotificationHandler { get; set; }

    /// <summary>Wall-clock delay before each change notification is sent (Graph's is under a minute on average).</summary>
    public TimeSpan NotificationDelay { get; set; }

    /// <summary>How long an undelivered notification is tried again (wall clock); Graph keeps trying for up to 4 hours.</summary>
    public TimeSpan NotificationRetryWindow { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Fraction of change notifications silently lost, as Graph may lose them (then only a lifecycle "missed" tells).</summary>
    public double NotificationDropRate { get; set; }

    /// <summary>The tenant's clock: created/modified times and the rate limiter. Latency is always wall-clock.</summary>
    // The simulator is a program of its own (it depends on nothing of ours); this default is its composition root's.
#pragma warning disable RS0030
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
#pragma warning restore RS0030
}
