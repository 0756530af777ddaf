using System.Globalization;
using System.Threading.RateLimiting;
using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Hosting;
using BossTalkCalendar.Core.Graph;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BossTalkCalendar.Api.Api;

/// <summary>
/// What every /api/v1 endpoint shares: problem details, strict JSON, a body size limit and a rate limit per user
/// (a fixed window of <see cref="ApiOptions.RateLimitPerMinute"/> per token tid/oid, or per address when anonymous).
/// </summary>
public static class ApiSetup
{
    public const string PathPrefix = "/api/v1";

    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();

        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Global rather than a per-endpoint policy, so every feature's endpoints under /api/v1 share one budget.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!context.Request.Path.StartsWithSegments(PathPrefix))
                {
                    return RateLimitPartition.GetNoLimiter("");
                }

                var perMinute = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.RateLimitPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(PartitionOf(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiProblems.Problem(
                        StatusCodes.Status429TooManyRequests,
                        "Too many requests",
                        $"Slow down: try again in {seconds} seconds.")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>
    /// The request pipeline in order: problem details for exceptions and bare status codes, the body limit on the
    /// API, authentication, authorization, then rate limiting (which needs the user).
    /// </summary>
    public static WebApplication UseApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWhen(context => context.Request.Path.StartsWithSegments(PathPrefix), api => api.Use(LimitBody));
        app.UseAuthentication();
        app.UseWhen(context => context.Request.Path.StartsWithSegments(PathPrefix), api => api.Use(ServedTenantOnly));
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>
    /// Every /api/v1 call by a signed-in user of another tenant than the one this instance serves is 403, whatever
    /// the endpoint (the token checks already keep other tenants out by default; this holds even when
    /// <c>Auth:AllowedTenants</c> is widened). Anonymous requests go on to the authorization's 401.
    /// </summary>
    private static Task ServedTenantOnly(HttpContext context, Func<Task> next)
    {
        if (ApiUser.TryFrom(context.User) is { } user && !context.RequestServices.GetRequiredService<ServedTenant>().Serves(user.TenantId))
        {
            context.Response.Headers.CacheControl = "no-store";
            return ApiProblems.Problem(
                    StatusCodes.Status403Forbidden,
                    "Another organisation",
                    "This BossTalkCalendar service works for another organisation, so there is nothing here you can see or change.")
                .ExecuteAsync(context);
        }

        return next();
    }

    private static Task LimitBody(HttpContext context, Func<Task> next)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return ApiProblems.TooLarge(limit).ExecuteAsync(context);
        }

        // Kestrel then stops a chunked body at the limit too (the JSON reader caps its own reads as well).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        return next();
    }

    private static string PartitionOf(HttpContext context) =>
        ApiUser.TryFrom(context.User) is { } user
            ? $"user:{user.TenantId}/{user.UserId}"
            : $"address:{context.Connection.RemoteIpAddress}";
}

/// <summary>
/// Turns what may escape an endpoint into a problem: Graph failures by kind (a caller never sees a 500 because Graph
/// was busy) and malformed requests the framework rejected. Anything else stays a 500 without details.
/// </summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            GatewayException graph => FromGraph(httpContext, graph),
            BadHttpRequestException bad => ApiProblems.Problem(bad.StatusCode, "Bad request", "The request could not be read."),
            _ => null,
        };
        if (problem is null || httpContext.Response.HasStarted)
        {
            return false;
        }

        await problem.ExecuteAsync(httpContext);
        return true;
    }

    private Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult FromGraph(HttpContext context, GatewayException graph)
    {
        logger.GraphCallFailed(context.Request.Path, graph.Failure);
        switch (graph.Failure)
        {
            case GatewayFailure.Throttled or GatewayFailure.Transient:
                var seconds = Math.Clamp((int)Math.Ceiling((graph.RetryAfter ?? TimeSpan.FromSeconds(5)).TotalSeconds), 1, 600);
                context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
                return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Calendar busy", "Your calendar could not be reached just now; try again shortly.");
            case GatewayFailure.Forbidden:
                return ApiProblems.Problem(StatusCodes.Status403Forbidden, "Calendar not accessible", "BossTalk is not allowed to read your calendar. Ask your administrator to include your mailbox.");
            case GatewayFailure.NotFound:
                return ApiProblems.Problem(StatusCodes.Status404NotFound, "Not found", "Your account or calendar was not found in the directory.");
            default:
                return ApiProblems.Problem(StatusCodes.Status502BadGateway, "Calendar request refused", "Microsoft Graph refused the request.");
        }
    }
}

/// <summary>What the API's conventions log: paths and our codes; never bodies.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(LogLevel.Warning, "Graph call for {Path} failed: {Failure}")]
    public static partial void GraphCallFailed(this ILogger logger, PathString path, GatewayFailure failure);
}
