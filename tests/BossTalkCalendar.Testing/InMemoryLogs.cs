using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BossTalkCalendar.Testing;

/// <summary>Keeps the log lines the service writes (message, structured values and exception text).</summary>
/// <param name="minimum">The least level kept; every level unless given.</param>
/// <param name="keep">How many of the newest lines are kept; all unless given.</param>
public sealed class InMemoryLogs(LogLevel minimum = LogLevel.Trace, int keep = int.MaxValue) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    /// <summary>The kept lines, oldest first, or "none", for a failure message.</summary>
    public override string ToString() => _lines.IsEmpty ? "none" : string.Join(Environment.NewLine, _lines);

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > keep && _lines.TryDequeue(out _))
        {
        }
    }

    private bool IsKept(LogLevel level) => level != LogLevel.None && level >= minimum;

    private sealed class Logger(string category, InMemoryLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            if (owner.IsKept(LogLevel.Trace))
            {
                owner.Add($"{category} scope: {state}");
            }

            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => owner.IsKept(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            owner.Add($"{logLevel} {category}: {formatter(state, exception)} {values} {exception}");
        }
    }
}
