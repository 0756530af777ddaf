using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace BossTalkCalendar.Graph;

/// <summary>
/// The Azure.Identity credential chosen by <c>Graph:Credential</c>. The service's Graph client and the preflight check
/// (<c>check</c>) both take it from here, so the check proves the credential the service will actually use.
/// </summary>
public static class GraphCredentials
{
    /// <summary>The app-only scope for a Graph root: <c>https://graph.microsoft.com/.default</c> for the public cloud.</summary>
    public static string AppScope(Uri graphBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(graphBaseUrl);
        return $"{graphBaseUrl.Scheme}://{graphBaseUrl.Host}/.default";
    }

    /// <param name="options">The Graph settings.</param>
    /// <param name="transport">
    /// Null in the service. The check passes one that sends the identity platform's requests to a loopback stand-in
    /// (the Graph simulator) when it is told to; everything else about the credential stays as configured.
    /// </param>
    public static TokenCredential Create(GraphOptions options, HttpPipelineTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Credential switch
        {
            GraphCredentialKind.ClientSecret => new ClientSecretCredential(
                options.TenantId, options.ClientId, options.ClientSecret, With(new ClientSecretCredentialOptions(), transport)),
            GraphCredentialKind.Certificate when string.IsNullOrEmpty(options.CertificatePassword) => new ClientCertificateCredential(
                options.TenantId, options.ClientId, options.CertificatePath, With(new ClientCertificateCredentialOptions(), transport)),
            GraphCredentialKind.Certificate => new ClientCertificateCredential(
                options.TenantId,
                options.ClientId,
                X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath!, options.CertificatePassword),
                With(new ClientCertificateCredentialOptions(), transport)),
            GraphCredentialKind.ManagedIdentity => new ManagedIdentityCredential(With(
                new ManagedIdentityCredentialOptions(string.IsNullOrWhiteSpace(options.ManagedIdentityClientId)
                    ? ManagedIdentityId.SystemAssigned
                    : ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId)),
                transport)),
            GraphCredentialKind.Default => new DefaultAzureCredential(With(
                new DefaultAzureCredentialOptions
                {
                    TenantId = options.TenantId,
                    ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
                },
                transport)),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Credential, "Unknown Graph:Credential."),
        };
    }

    private static T With<T>(T options, HttpPipelineTransport? transport)
        where T : TokenCredentialOptions
    {
        if (transport is not null)
        {
            options.Transport = transport;
        }

        return options;
    }
}
