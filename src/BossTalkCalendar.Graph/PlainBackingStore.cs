using Microsoft.Kiota.Abstractions.Store;

namespace BossTalkCalendar.Graph;

/// <summary>
/// A backing store for the SDK's models without change tracking: a plain dictionary per model.
/// </summary>
/// <remarks>
/// The SDK's default (InMemoryBackingStore) keeps a concurrent dictionary per model object and rewrites every entry
/// when a response has been read, to track which values changed afterwards (for PATCH bodies with only the
/// changes). We never send PATCH; we read responses and post new events, whose bodies hold every value we set either
/// way. Profiling a tenant sweep showed the tracking at about a sixth of the service's CPU; this store does none.
/// A model object is only ever used by the request that made or read it, so no locking is needed.
/// </remarks>
internal sealed class PlainBackingStore : IBackingStore
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public bool InitializationCompleted { get; set; } = true;

    public bool ReturnOnlyChangedValues { get; set; }

    public T? Get<T>(string key) => _values.TryGetValue(key, out var value) && value is T typed ? typed : default;

    public void Set<T>(string key, T? value) => _values[key] = value;

    public IEnumerable<KeyValuePair<string, object?>> Enumerate() => _values;

    public IEnumerable<string> EnumerateKeysForValuesChangedToNull() => [];

    public string Subscribe(Action<string, object?, object?> callback) => string.Empty;

    public void Subscribe(Action<string, object?, object?> callback, string subscriptionId)
    {
    }

    public void Unsubscribe(string subscriptionId)
    {
    }

    public void Clear() => _values.Clear();
}

/// <summary>Creates <see cref="PlainBackingStore"/>s; installed process-wide by <see cref="GraphClientBuilder"/>.</summary>
internal sealed class PlainBackingStoreFactory : IBackingStoreFactory
{
    public static PlainBackingStoreFactory Instance { get; } = new();

    public IBackingStore CreateBackingStore() => new PlainBackingStore();
}
