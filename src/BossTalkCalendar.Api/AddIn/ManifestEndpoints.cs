using System.Globalization;
using System.Security.Cryptography;
using BossTalkCalendar.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BossTalkCalendar.Api.AddIn;

/// <summary>Serves the Outlook add-in manifests and ribbon icons with the operator's settings filled in.</summary>
public static class ManifestEndpoints
{
    /// <summary>The icon sizes the manifests reference under /assets.</summary>
    public static IReadOnlyList<int> IconSizes { get; } = [16, 32, 64, 80, 128];

    private const int IconEndpointOrder = -1000;

    public static IServiceCollection AddAddInManifests(this IServiceCollection services)
    {
        services.AddServiceOptions();
        services.AddOptions<AddInOptions>().BindConfiguration(AddInOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AddInOptions>, AddInOptionsValidator>());
        services.TryAddSingleton<ManifestRenderer>();
        return services;
    }

    public static IEndpointRouteBuilder MapAddInManifests(this IEndpointRouteBuilder app)
    {
        // Outlook fetches manifests and icons without a user token.
        var manifests = app.MapGroup("/manifest").AllowAnonymous().ExcludeFromDescription();

        // no-cache: an operator who changes the settings should get the new manifest on the next download.
        manifests.MapGet("/manifest.xml", (ManifestRenderer renderer, HttpContext context) =>
            NoCache(context, TypedResults.Bytes(renderer.Xml, "application/xml; charset=utf-8")));
        manifests.MapGet("/manifest.json", (ManifestRenderer renderer, HttpContext context) =>
            NoCache(context, TypedResults.Bytes(renderer.Json, "application/json; charset=utf-8")));
        manifests.MapGet("/app-package.zip", (ManifestRenderer renderer, HttpContext context) =>
            NoCache(context, TypedResults.File(renderer.AppPackage, "application/zip", "bosstalk-app-package.zip")));

        // Office caches ribbon icons itself and swaps in a generic image when the response carries any
        // Cache-Control directive, while MapStaticAssets marks files without a fingerprint "no-cache".
        // These endpoints therefore run ahead of static-asset endpoints (order -100) and send only
        // validators (ETag, Last-Modified).
        foreach (var size in IconSizes)
        {
            var path = $"assets/icon-{size.ToString(CultureInfo.InvariantCulture)}.png";
            app.MapMethods("/" + path, [HttpMethods.Get, HttpMethods.Head], (IWebHostEnvironment environment) => ServeIcon(environment, path))
                .AllowAnonymous()
                .ExcludeFromDescription()
                .WithOrder(IconEndpointOrder);
        }

        return app;
    }

    private static TResult NoCache<TResult>(HttpContext context, TResult result)
        where TResult : IResult
    {
        context.Response.Headers.CacheControl = "no-cache";
        return result;
    }

    private static Results<NotFound, FileContentHttpResult> ServeIcon(IWebHostEnvironment environment, string path)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory)
            return TypedResults.NotFound();

        // A content hash keeps the ETag the same on every instance behind a load balancer.
        byte[] content;
        using (var stream = file.CreateReadStream())
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            content = copy.ToArray();
        }

        var tag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12))}\"");
        return TypedResults.File(content, "image/png", lastModified: file.LastModified, entityTag: tag);
    }
}
