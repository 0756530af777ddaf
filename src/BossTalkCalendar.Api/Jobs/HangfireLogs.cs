using Hangfire.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>
/// Hangfire's log provider: Hangfire's lines go to the logger factory of the newest host in the process that is still
/// running, and nowhere when none is.
/// </summary>
// Hangfire logs through one process-wide provider (Hangfire.Logging.LogProvider), and Hangfire.NetCore's AddHangfire
// points it at the logger factory of the host that configured Hangfire last. Once that host stops, its factory is
// disposed and every logger Hangfire asks for throws ObjectDisposedException: creating a job fails, and a
// Hangfire.PostgreSql fetch throws after it committed, leaving its job fetched and invisible for the invisibility
// timeout. Production runs one host per process; the tests and the benchmark run several, and start and stop them
// while others work (tests/BossTalkCalendar.Api.Tests/Postgres/NeighbourHostTests.cs).
internal sealed class HangfireLogs : ILogProvider
{
    public static readonly HangfireLogs Provider = new();

    private readonly Lock _gate = new();
    private readonly List<ILoggerFactory> _running = [];

    private HangfireLogs()
    {
    }

    public ILog GetLogger(string name) => new Category(this, name);

    /// <summary>Sends Hangfire's lines to <paramref name="factory"/> until the returned attachment is disposed.</summary>
    public Attachment Attach(ILoggerFactory factory)
    {
        lock (_gate)
        {
            _running.Add(factory);
        }

        return new Attachment(this, factory);
    }

    private ILoggerFactory? Newest()
    {
        lock (_gate)
        {
            return _running.Count == 0 ? null : _running[^1];
        }
    }

    private void Detach(ILoggerFactory factory)
    {
        lock (_gate)
        {
            _running.Remove(factory);
        }
    }

    private static LogLevel ToLevel(HangfireLevel level) => level switch
    {
        HangfireLevel.Trace => LogLevel.Trace,
        HangfireLevel.Debug => LogLevel.Debug,
        HangfireLevel.Info => LogLevel.Information,
        HangfireLevel.Warn => LogLevel.Warning,
        HangfireLevel.Error => LogLevel.Error,
        HangfireLevel.Fatal => LogLevel.Critical,
        _ => LogLevel.None,
    };

    /// <summary>One Hangfire category; it follows the newest running host instead of holding on to one.</summary>
    private sealed class Category(HangfireLogs owner, string name) : ILog
    {
        // One reference, so that a reader never sees one host's factory with another's logger.
        private Bound? _current;

        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var logger = Logger();
            if (logger is null)
            {
                return false;
            }

            var level = ToLevel(logLevel);
            if (!logger.IsEnabled(level))
            {
                return false;
            }

            // Hangfire asks with no message whether a level is on.
            if (messageFunc is null)
            {
                return true;
            }

            logger.Log(level, 0, messageFunc(), exception, static (message, _) => message);
            return true;
        }

        private ILogger? Logger()
        {
            var factory = owner.Newest();
            if (factory is null)
            {
                return null;
            }

            if (_current is { } known && ReferenceEquals(known.Factory, factory))
            {
                return known.Logger;
            }

            try
            {
                var logger = factory.CreateLogger(name);
                _current = new Bound(factory, logger);
                return logger;
            }
            catch (ObjectDisposedException)
            {
                // Its host is stopping and has not detached yet.
                return null;
            }
        }
    }

    private sealed record Bound(ILoggerFactory Factory, ILogger Logger);

    /// <summary>A host's logger factory, attached while the host's container lives (it is a singleton there).</summary>
    public sealed class Attachment(HangfireLogs owner, ILoggerFactory factory) : IDisposable
    {
        public void Dispose() => owner.Detach(factory);
    }
}
