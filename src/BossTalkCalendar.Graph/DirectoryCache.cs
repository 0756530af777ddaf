using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Internal;

namespace BossTalkCalendar.Graph;

/// <summary>
/// What rarely changes per user (the directory entry with the manager, the mailbox settings), kept in
/// <see cref="HybridCache"/> so that a steady-state scan spends no Graph request on it. Concurrent misses of one user
/// share one fetch, a failed fetch is not kept, and entries expire on the injected clock.
/// </summary>
/// <remarks>
/// The cached types are sealed and marked <c>[ImmutableObject(true)]</c>, so the first level hands out the instance
/// it holds instead of a deserialized copy per read. There is no second level yet: sharing entries between instances
/// (HybridCache over an <c>IDistributedCache</c>) would need a serializer for the zones in a mailbox profile.
/// </remarks>
internal sealed class DirectoryCache<TValue>(HybridCache cache, string kind, TimeSpan duration)
{
    private readonly HybridCacheEntryOptions _options = new() { Expiration = duration, LocalCacheExpiration = duration };

    public async Task<TValue> GetOrAddAsync(string userId, Func<CancellationToken, Task<TValue>> fetch, CancellationToken cancellationToken)
    {
        if (duration <= TimeSpan.Zero)
        {
            return await fetch(cancellationToken).ConfigureAwait(false);
        }

        return await cache.GetOrCreateAsync(
            Key(userId),
            fetch,
            static (fetch, ct) => new ValueTask<TValue>(fetch(ct)),
            _options,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the user's entry with one read some other way, fresh for the whole duration again.</summary>
    public async Task SetAsync(string userId, TValue value, CancellationToken cancellationToken)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        await cache.SetAsync(Key(userId), value, _options, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private string Key(string userId) => $"bosstalk:{kind}:{userId.ToUpperInvariant()}";
}

/// <summary>Registers the <see cref="HybridCache"/> the gateway keeps its <see cref="DirectoryCache{TValue}"/> in.</summary>
internal static class DirectoryCacheServices
{
    /// <summary>HybridCache over a memory cache whose entries expire on the registered <see cref="TimeProvider"/>.</summary>
    public static IServiceCollection AddDirectoryCache(this IServiceCollection services)
    {
        services.AddOptions<MemoryCacheOptions>().Configure<TimeProvider>((options, time) => options.Clock = new TimeProviderClock(time));
        services.AddHybridCache();
        return services;
    }

    /// <summary>A cache of its own, for a gateway made outside a host (tools and tests); dispose the provider with it.</summary>
    public static (HybridCache Cache, ServiceProvider Owner) CreateLocal(TimeProvider timeProvider)
    {
        var services = new ServiceCollection();
        services.AddSingleton(timeProvider);
        var owner = services.AddDirectoryCache().BuildServiceProvider();
        return (owner.GetRequiredService<HybridCache>(), owner);
    }

    /// <summary>The memory cache's clock, read from the injected <see cref="TimeProvider"/>.</summary>
    private sealed class TimeProviderClock(TimeProvider time) : ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
