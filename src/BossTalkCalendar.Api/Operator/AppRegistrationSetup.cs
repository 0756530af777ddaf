using Azure.Identity;
using BossTalkCalendar.Api.AddIn;
using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Hosting;
using BossTalkCalendar.Graph;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions.Authentication;

namespace BossTalkCalendar.Api.Operator;

/// <summary>
/// <c>setup</c>: creates or updates the Entra app registration the README's "Connecting to a real tenant" describes,
/// through Microsoft Graph as the signed-in administrator (device code), then its service principal. Idempotent: it
/// reads first and writes only what differs, so a second run sends no write at all and says so. Prints the
/// admin-consent URL, the Exchange Online commands that limit the app to a mail-enabled group, and the settings.
/// The Graph calls and their sources are in docs/graph.md, "Setup as code".
/// </summary>
public sealed class AppRegistrationSetup
{
    /// <summary>Microsoft Graph's application id, the resource of the application permissions.</summary>
    public const string MicrosoftGraphAppId = "00000003-0000-0000-c000-000000000000";

    /// <summary>
    /// Application permissions (app role ids of Microsoft Graph) the service uses, from the permissions reference
    /// (https://learn.microsoft.com/graph/permissions-reference): Calendars.ReadWrite, MailboxSettings.Read, User.Read.All.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Guid> GraphAppRoles = new Dictionary<string, Guid>
    {
        ["Calendars.ReadWrite"] = Guid.Parse("ef54d2bf-783f-4e0f-bca1-3210c0444d99"),
        ["MailboxSettings.Read"] = Guid.Parse("40f97065-369a-49f4-947c-6a255697ae91"),
        ["User.Read.All"] = Guid.Parse("df021288-bdef-4463-88db-98f22de89214"),
    };

    private readonly SetupOptions _setup;
    private readonly GraphOptions _graph;
    private readonly string _apiScope;
    private readonly string _adminRole;
    private readonly PublicOrigin _origin;
    private readonly TextWriter _output;

    public AppRegistrationSetup(SetupOptions setup, GraphOptions graph, AddInOptions addIn, AuthOptions auth, PublicOrigin origin, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(addIn);
        ArgumentNullException.ThrowIfNull(auth);
        _setup = setup;
        _graph = graph;
        _apiScope = string.IsNullOrWhiteSpace(addIn.ApiScope) ? AuthOptions.DefaultScope : addIn.ApiScope;
        _adminRole = string.IsNullOrWhiteSpace(auth.AdminRole) ? AuthOptions.DefaultAdminRole : auth.AdminRole;
        _origin = origin;
        _output = output;
    }

    public static AppRegistrationSetup FromServices(IServiceProvider services, TextWriter output) => new(
        services.GetRequiredService<IOptions<SetupOptions>>().Value,
        // Bound without the service's validation: setup needs only the tenant (and an existing client id), not the
        // service's credential, which usually does not exist yet.
        services.GetRequiredService<IConfiguration>().GetSection(GraphOptions.SectionName).Get<GraphOptions>() ?? new GraphOptions(),
        services.GetRequiredService<IOptions<AddInOptions>>().Value,
        services.GetRequiredService<IOptions<AuthOptions>>().Value,
        services.GetRequiredService<IOptions<ServiceOptions>>().Value.Origin,
        output);

    /// <summary>0 when the registration is as required (changed or not), 1 when Graph refused, 2 on a settings error.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(_graph.TenantId))
        {
            await _output.WriteLineAsync("setup: set Graph:TenantId to your directory (tenant) id; the administrator signs in there.");
            return 2;
        }

        if (!Uri.TryCreate(_setup.GraphBaseUrl, UriKind.Absolute, out var baseUrl)
            || (baseUrl.Scheme != Uri.UriSchemeHttps && !LoopbackRedirectHandler.IsLoopback(baseUrl)))
        {
            await _output.WriteLineAsync($"setup: Setup:GraphBaseUrl must be an https URL (plain http only for a loopback simulator), not '{_setup.GraphBaseUrl}'.");
            return 2;
        }

        if (!_origin.Origin.StartsWith("https://", StringComparison.Ordinal))
        {
            await _output.WriteLineAsync($"setup: Service:PublicBaseUrl must be the https origin of the deployment (the API's URI and redirect URIs carry its host), not '{_origin.Origin}'.");
            return 2;
        }

        using var http = LoopbackRedirectHandler.IsLoopback(baseUrl) ? new HttpClient() : GraphClientFactory.Create();
        var client = new GraphServiceClient(http, AuthenticationFor(baseUrl), baseUrl.AbsoluteUri.TrimEnd('/'));
        try
        {
            return await ApplyAsync(client, cancellationToken);
        }
        catch (ODataError ex)
        {
            await _output.WriteLineAsync($"setup: Graph answered {ex.ResponseStatusCode} {ex.Error?.Code}: {ex.Error?.Message}");
            await _output.WriteLineAsync("setup: sign in as an administrator who may manage applications (Application Administrator or Cloud Application Administrator).");
            return 1;
        }
        catch (AuthenticationFailedException ex)
        {
            await _output.WriteLineAsync("setup: sign-in failed: " + ex.Message.Split('\n', 2)[0]);
            return 1;
        }
    }

    private IAuthenticationProvider AuthenticationFor(Uri baseUrl)
    {
        if (LoopbackRedirectHandler.IsLoopback(baseUrl))
        {
            // A simulator on this machine: no sign-in, and no token leaves the process (as for Graph:BaseUrl).
            return new AnonymousAuthenticationProvider();
        }

        var credential = new DeviceCodeCredential(new DeviceCodeCredentialOptions
        {
            TenantId = _graph.TenantId,
            ClientId = _setup.SignInClientId,
            DeviceCodeCallback = async (code, _) => await _output.WriteLineAsync(code.Message),
        });
        // The least-privileged delegated permission for creating and updating applications and service principals
        // (https://learn.microsoft.com/graph/api/application-upsert, "Permissions").
        return new Microsoft.Graph.Authentication.AzureIdentityAuthenticationProvider(
            credential, [baseUrl.Host], null, true, $"{baseUrl.Scheme}://{baseUrl.Host}/Application.ReadWrite.All");
    }

    private async Task<int> ApplyAsync(GraphServiceClient client, CancellationToken cancellationToken)
    {
        var changes = new List<string>();
        var app = await FindAsync(client, cancellationToken);
        if (app is null && !string.IsNullOrWhiteSpace(_graph.ClientId))
        {
            await _output.WriteLineAsync($"setup: Graph:ClientId {_graph.ClientId} names no application in tenant {_graph.TenantId}. Correct it, or leave it empty to create the registration.");
            return 1;
        }

        if (app is null)
        {
            // Upsert on the alternate key: a rerun after a lost answer finds this application instead of making another
            // (https://learn.microsoft.com/graph/api/application-upsert).
            app = await client.ApplicationsWithUniqueName(_setup.UniqueName).PatchAsync(
                new Application { DisplayName = _setup.DisplayName, SignInAudience = "AzureADMyOrg" },
                request => request.Headers.Add("Prefer", "create-if-missing"),
                cancellationToken)
                ?? await FindAsync(client, cancellationToken)
                ?? throw new InvalidOperationException("Graph created the application but does not return it.");
            changes.Add($"created the application {app.AppId} ({_setup.DisplayName}, uniqueName {_setup.UniqueName})");
        }

        var appId = app.AppId!;
        var objectId = app.Id!;

        // 1. Application ID URI, the delegated scope, v2.0 access tokens, the admin role, the SPA redirect URIs and the
        //    application permissions: one PATCH with the properties that differ.
        var scope = app.Api?.Oauth2PermissionScopes?.FirstOrDefault(s => s.Value == _apiScope);
        var scopeId = scope?.Id ?? Guid.NewGuid();
        var update = new Application();
        var differs = false;

        var identifierUri = $"api://{_origin.Authority}/{appId}";
        var uris = app.IdentifierUris ?? [];
        if (!uris.Contains(identifierUri, StringComparer.OrdinalIgnoreCase))
        {
            update.IdentifierUris = [.. uris, identifierUri];
            changes.Add($"Application ID URI {identifierUri}");
            differs = true;
        }

        var scopes = (app.Api?.Oauth2PermissionScopes ?? []).Select(Copy).ToList();
        var scopeMissing = scope is null || scope.IsEnabled != true || scope.Type != "User";
        var version = app.Api?.RequestedAccessTokenVersion;
        if (scopeMissing || version != 2)
        {
            scopes.RemoveAll(s => s.Value == _apiScope);
            scopes.Add(DesiredScope(scopeId));
            update.Api = new ApiApplication
            {
                RequestedAccessTokenVersion = 2,
                Oauth2PermissionScopes = scopes,
                // Kept as they are here; the next PATCH adds the Office clients once the scope exists.
                PreAuthorizedApplications = (app.Api?.PreAuthorizedApplications ?? []).Where(p => ReferencesOnly(p, scopes)).Select(Copy).ToList(),
                KnownClientApplications = app.Api?.KnownClientApplications?.ToList() ?? [],
            };
            if (scopeMissing)
            {
                changes.Add($"scope {_apiScope} (admins and users can consent)");
            }

            if (version != 2)
            {
                changes.Add("v2.0 access tokens (requestedAccessTokenVersion 2: the issuer Auth:Authority names, aud = client id)");
            }

            differs = true;
        }

        var roles = (app.AppRoles ?? []).Select(Copy).ToList();
        var role = roles.FirstOrDefault(r => r.Value == _adminRole);
        if (role is null || role.IsEnabled != true || role.AllowedMemberTypes?.Contains("User") != true)
        {
            roles.RemoveAll(r => r.Value == _adminRole);
            roles.Add(new AppRole
            {
                Id = role?.Id ?? Guid.NewGuid(),
                Value = _adminRole,
                DisplayName = "BossTalk administrator",
                Description = "Manages the BossTalk rollout: lists teams, reads the audit trail, revokes a team, runs a sweep.",
                AllowedMemberTypes = ["User"],
                IsEnabled = true,
            });
            update.AppRoles = roles;
            changes.Add($"app role {_adminRole} (users and groups)");
            differs = true;
        }

        // Nested app authentication's redirect URI is the origin-only brk-multihub:// form; the pane's own page is the
        // fallback sign-in (README, "Connecting to a real tenant"; docs/addin.md).
        string[] redirects = [$"brk-multihub://{_origin.Authority}", $"{_origin.Origin}/taskpane.html"];
        var spa = app.Spa?.RedirectUris ?? [];
        if (redirects.Any(r => !spa.Contains(r, StringComparer.OrdinalIgnoreCase)))
        {
            update.Spa = new SpaApplication { RedirectUris = [.. spa.Union(redirects, StringComparer.OrdinalIgnoreCase)] };
            changes.Add("SPA redirect URIs " + string.Join(", ", redirects));
            differs = true;
        }

        var required = (app.RequiredResourceAccess ?? []).Select(Copy).ToList();
        var graphAccess = required.FirstOrDefault(r => r.ResourceAppId == MicrosoftGraphAppId);
        var missingRoles = GraphAppRoles.Where(p => graphAccess?.ResourceAccess?.Any(a => a.Id == p.Value && a.Type == "Role") != true).ToList();
        if (missingRoles.Count > 0)
        {
            if (graphAccess is null)
            {
                graphAccess = new RequiredResourceAccess { ResourceAppId = MicrosoftGraphAppId, ResourceAccess = [] };
                required.Add(graphAccess);
            }

            graphAccess.ResourceAccess!.AddRange(missingRoles.Select(p => new ResourceAccess { Id = p.Value, Type = "Role" }));
            update.RequiredResourceAccess = required;
            changes.Add("Microsoft Graph application permissions " + string.Join(", ", missingRoles.Select(p => p.Key)));
            differs = true;
        }

        if (differs)
        {
            await client.Applications[objectId].PatchAsync(update, cancellationToken: cancellationToken);
        }

        // 2. The Office clients pre-authorized for the scope (Register an Office Add-in that uses SSO, "Add a client
        //    application"): after the scope exists, in a request of its own.
        var preAuthorized = (app.Api?.PreAuthorizedApplications ?? []).Select(Copy).ToList();
        var missingClients = AuthOptions.OfficeClientApps
            .Where(id => !preAuthorized.Any(p => string.Equals(p.AppId, id, StringComparison.OrdinalIgnoreCase) && p.DelegatedPermissionIds?.Contains(scopeId.ToString()) == true))
            .ToList();
        if (missingClients.Count > 0)
        {
            foreach (var id in missingClients)
            {
                var entry = preAuthorized.FirstOrDefault(p => string.Equals(p.AppId, id, StringComparison.OrdinalIgnoreCase));
                if (entry is null)
                {
                    preAuthorized.Add(new PreAuthorizedApplication { AppId = id, DelegatedPermissionIds = [scopeId.ToString()] });
                }
                else
                {
                    entry.DelegatedPermissionIds = [.. entry.DelegatedPermissionIds ?? [], scopeId.ToString()];
                }
            }

            await client.Applications[objectId].PatchAsync(
                new Application
                {
                    Api = new ApiApplication
                    {
                        RequestedAccessTokenVersion = 2,
                        Oauth2PermissionScopes = scopes,
                        PreAuthorizedApplications = preAuthorized,
                        KnownClientApplications = app.Api?.KnownClientApplications?.ToList() ?? [],
                    },
                },
                cancellationToken: cancellationToken);
            changes.Add($"pre-authorized the Office clients for {_apiScope}: " + string.Join(", ", missingClients));
        }

        // 3. The service principal (the app's identity in this tenant; consent and Exchange roles attach to it).
        var servicePrincipal = await GetOrNullAsync(() => client.ServicePrincipalsWithAppId(appId).GetAsync(cancellationToken: cancellationToken));
        if (servicePrincipal is null)
        {
            servicePrincipal = await client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = appId }, cancellationToken: cancellationToken)
                ?? throw new InvalidOperationException("Graph created the service principal but does not return it.");
            changes.Add($"service principal {servicePrincipal.Id}");
        }

        await ReportAsync(changes, appId, servicePrincipal.Id!);
        return 0;
    }

    private async Task<Application?> FindAsync(GraphServiceClient client, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(_graph.ClientId)
            // https://learn.microsoft.com/graph/api/application-get: GET /applications(uniqueName='{uniqueName}')
            ? await GetOrNullAsync(() => client.ApplicationsWithUniqueName(_setup.UniqueName).GetAsync(cancellationToken: cancellationToken))
            // ... and GET /applications(appId='{appId}')
            : await GetOrNullAsync(() => client.ApplicationsWithAppId(_graph.ClientId).GetAsync(cancellationToken: cancellationToken));

    private static async Task<T?> GetOrNullAsync<T>(Func<Task<T?>> get)
        where T : class
    {
        try
        {
            return await get();
        }
        catch (ODataError ex) when (ex.ResponseStatusCode == 404)
        {
            return null;
        }
    }

    private PermissionScope DesiredScope(Guid id) => new()
    {
        Id = id,
        Value = _apiScope,
        Type = "User",
        IsEnabled = true,
        AdminConsentDisplayName = "Use BossTalk as the signed-in user",
        AdminConsentDescription = "Lets Outlook's BossTalk add-in call the BossTalk service as the signed-in user.",
        UserConsentDisplayName = "Use BossTalk as you",
        UserConsentDescription = "Lets the BossTalk add-in in Outlook call the BossTalk service as you.",
    };

    private static bool ReferencesOnly(PreAuthorizedApplication p, List<PermissionScope> scopes) =>
        (p.DelegatedPermissionIds ?? []).All(id => scopes.Any(s => s.Id.ToString() == id));

    // Fresh objects, so that what is sent back is exactly what was read (never a partial copy of a tracked model).
    private static PermissionScope Copy(PermissionScope s) => new()
    {
        Id = s.Id, Value = s.Value, Type = s.Type, IsEnabled = s.IsEnabled,
        AdminConsentDisplayName = s.AdminConsentDisplayName, AdminConsentDescription = s.AdminConsentDescription,
        UserConsentDisplayName = s.UserConsentDisplayName, UserConsentDescription = s.UserConsentDescription,
    };

    private static AppRole Copy(AppRole r) => new()
    {
        Id = r.Id, Value = r.Value, DisplayName = r.DisplayName, Description = r.Description,
        AllowedMemberTypes = r.AllowedMemberTypes?.ToList(), IsEnabled = r.IsEnabled,
    };

    private static PreAuthorizedApplication Copy(PreAuthorizedApplication p) => new()
    {
        AppId = p.AppId, DelegatedPermissionIds = p.DelegatedPermissionIds?.ToList(),
    };

    private static RequiredResourceAccess Copy(RequiredResourceAccess r) => new()
    {
        ResourceAppId = r.ResourceAppId,
        ResourceAccess = (r.ResourceAccess ?? []).Select(a => new ResourceAccess { Id = a.Id, Type = a.Type }).ToList(),
    };

    private async Task ReportAsync(List<string> changes, string appId, string servicePrincipalId)
    {
        var o = _output;
        if (changes.Count == 0)
        {
            await o.WriteLineAsync($"Nothing changed: the app registration {appId} and its service principal already are as required.");
        }
        else
        {
            await o.WriteLineAsync($"Changed the app registration {appId}:");
            foreach (var change in changes)
            {
                await o.WriteLineAsync("  - " + change);
            }
        }

        var tenant = _graph.TenantId;
        var group = string.IsNullOrWhiteSpace(_setup.MailboxGroup) ? "<mail-enabled security group of the rolled-out teams>" : _setup.MailboxGroup;
        await o.WriteLineAsync();
        await o.WriteLineAsync("1. Grant admin consent for the application permissions (as a Privileged Role Administrator or Global Administrator):");
        await o.WriteLineAsync($"   https://login.microsoftonline.com/{tenant}/adminconsent?client_id={appId}");
        await o.WriteLineAsync();
        await o.WriteLineAsync("2. Limit the mailboxes the app may use to one mail-enabled security group: RBAC for Applications in Exchange Online");
        await o.WriteLineAsync("   (https://learn.microsoft.com/exchange/permissions-exo/application-rbac). In Exchange Online PowerShell:");
        await o.WriteLineAsync("   Connect-ExchangeOnline");
        await o.WriteLineAsync($"   New-ServicePrincipal -AppId {appId} -ObjectId {servicePrincipalId} -DisplayName \"{_setup.DisplayName}\"");
        await o.WriteLineAsync($"   $group = Get-Group \"{group}\"");
        await o.WriteLineAsync("   New-ManagementScope -Name \"BossTalkCalendar mailboxes\" -RecipientRestrictionFilter \"MemberOfGroup -eq '$($group.DistinguishedName)'\"");
        await o.WriteLineAsync($"   New-ManagementRoleAssignment -App {servicePrincipalId} -Role \"Application Calendars.ReadWrite\" -CustomResourceScope \"BossTalkCalendar mailboxes\"");
        await o.WriteLineAsync($"   New-ManagementRoleAssignment -App {servicePrincipalId} -Role \"Application MailboxSettings.Read\" -CustomResourceScope \"BossTalkCalendar mailboxes\"");
        await o.WriteLineAsync($"   Test-ServicePrincipalAuthorization -Identity {servicePrincipalId} -Resource <a member's address>");
        await o.WriteLineAsync("   Entra and Exchange grants add up: once the role assignments work, remove the tenant-wide Calendars.ReadWrite and");
        await o.WriteLineAsync("   MailboxSettings.Read grants from the enterprise application's permissions (User.Read.All stays; it is not a mailbox permission).");
        await o.WriteLineAsync();
        await o.WriteLineAsync("3. Give the app a credential: upload a certificate (preferred) or create a client secret, or run on Azure with a managed identity.");
        await o.WriteLineAsync();
        await o.WriteLineAsync("4. Configure the service (environment variables use __ for :):");
        await o.WriteLineAsync($"   Graph:TenantId={tenant}");
        await o.WriteLineAsync($"   Graph:ClientId={appId}");
        await o.WriteLineAsync("   Graph:Credential=Certificate   (and Graph:CertificatePath; or ClientSecret + Graph:ClientSecret, ManagedIdentity)");
        await o.WriteLineAsync($"   Auth:Authority=https://login.microsoftonline.com/{tenant}/v2.0");
        await o.WriteLineAsync($"   Auth:Audience={appId}");
        await o.WriteLineAsync($"   AddIn:ClientId={appId}");
        await o.WriteLineAsync($"   Service:PublicBaseUrl={_origin.Origin}");
        await o.WriteLineAsync();
        await o.WriteLineAsync("5. Then run `check --sample-user <a member's address>` to try it all before anyone sees anything.");
    }
}
