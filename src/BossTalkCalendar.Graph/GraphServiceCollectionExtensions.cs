using BossTalkCalendar.Core.Graph;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Graph;

public static class GraphServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ICalendarGateway"/> (a singleton <see cref="GraphCalendarGateway"/>) with
    /// <see cref="GraphOptions"/> bound from the "Graph" section and validated at start-up.
    /// </summary>
    public static IServiceCollection AddGraphGateway(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GraphOptions>()
            .BindConfiguration(GraphOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GraphOptions>, GraphOptionsValidator>());
        services.AddDirectoryCache();
        services.TryAddSingleton(sp => GraphCalendarGateway.Create(
            sp.GetRequiredService<IOptions<GraphOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetRequiredService<HybridCache>()));
        services.TryAddSingleton<ICalendarGateway>(sp => sp.GetRequiredService<GraphCalendarGateway>());
        return services;
    }
}
