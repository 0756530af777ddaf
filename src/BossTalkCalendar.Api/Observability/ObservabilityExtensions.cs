using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Graph;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BossTalkCalendar.Api.Observability;

/// <summary>Settings of the telemetry export (section <c>Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>OTLP collector, e.g. http://localhost:4317 (gRPC) or http://localhost:4318 (HTTP); empty exports nothing.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Grpc (default) or HttpProtobuf.</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>service.name of the exported resource.</summary>
    public string ServiceName { get; set; } = "bosstalkcalendar";
}

public static class ObservabilityExtensions
{
    /// <summary>
    /// Instruments the Graph gateway and the jobs (always on: an unobserved instrument costs next to nothing, and a
    /// MeterListener such as the tenant-sweep benchmark can read them), and exports traces and metrics over OTLP
    /// when <c>Telemetry:OtlpEndpoint</c> is set.
    /// </summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        JobMetrics.CountEveryJob();

        var settings = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (string.IsNullOrWhiteSpace(settings.OtlpEndpoint))
        {
            return builder;
        }

        if (!Uri.TryCreate(settings.OtlpEndpoint, UriKind.Absolute, out var endpoint)
            || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException(
                $"Telemetry:OtlpEndpoint must be an absolute http(s) URL such as http://localhost:4317 (got '{settings.OtlpEndpoint}').");
        }

        // An endpoint set in code is used as is: over HTTP it must name the signal's path, which the exporter adds
        // only to an endpoint that came from OTEL_EXPORTER_OTLP_ENDPOINT.
        Action<OtlpExporterOptions> Otlp(string signalPath) => otlp =>
        {
            otlp.Protocol = settings.OtlpProtocol;
            otlp.Endpoint = settings.OtlpProtocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath)
                : endpoint;
        };

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(GraphMetrics.Name, JobMetrics.Name, NotificationMetrics.Name)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddOtlpExporter(Otlp("v1/metrics")))
            .WithTracing(tracing => tracing
                .AddSource(GraphMetrics.Name, JobMetrics.Name)
                // Only our API's requests: the dashboard and static files would drown them.
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context => context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
                .AddOtlpExporter(Otlp("v1/traces")));
        return builder;
    }
}
