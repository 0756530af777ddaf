// BossTalkCalendar on Azure: Azure Container Apps (two replicas or more) on Azure Database for PostgreSQL flexible
// server, calling Microsoft Graph as a user-assigned managed identity (Graph:Credential=ManagedIdentity).
// How to deploy it, its parameters and what it leaves to you: deploy/azure/README.md.
//
// No secret is written in this file. The database password is a @secure() parameter (or, instead, the whole
// connection string is a Key Vault secret the app reads through its identity); Graph needs no secret at all.
//
// Resource types and API versions (Microsoft's template reference):
//   Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30
//     https://learn.microsoft.com/azure/templates/microsoft.managedidentity/2024-11-30/userassignedidentities
//   Microsoft.OperationalInsights/workspaces@2025-07-01
//     https://learn.microsoft.com/azure/templates/microsoft.operationalinsights/2025-07-01/workspaces
//   Microsoft.App/managedEnvironments@2025-07-01
//     https://learn.microsoft.com/azure/templates/microsoft.app/2025-07-01/managedenvironments
//   Microsoft.App/containerApps@2025-07-01 (probes, scale, Key Vault secret references with keyVaultUrl + identity)
//     https://learn.microsoft.com/azure/templates/microsoft.app/2025-07-01/containerapps
//   Microsoft.DBforPostgreSQL/flexibleServers@2025-08-01, .../databases, .../firewallRules
//     https://learn.microsoft.com/azure/templates/microsoft.dbforpostgresql/2025-08-01/flexibleservers

targetScope = 'resourceGroup'

@description('Azure region of every resource; the resource group\'s by default.')
param location string = resourceGroup().location

@description('Prefix of every resource name (lower case letters, digits and hyphens).')
@minLength(3)
@maxLength(20)
param namePrefix string = 'bosstalk'

@description('The service image, e.g. myregistry.azurecr.io/bosstalkcalendar:1.0.0 (deploy/build-image.sh builds it).')
param image string

@description('Registry server to pull the image from with the managed identity (give it AcrPull); empty for a public image.')
param registryServer string = ''

@description('Entra tenant (directory) id the service serves: Graph:TenantId, and the Auth:Authority tenant.')
param tenantId string = subscription().tenantId

@description('Application (client) id of the app registration made by the service\'s setup command: AddIn:ClientId and the API audience.')
param addInClientId string

@description('Public https origin (Service:PublicBaseUrl) when a custom domain is bound; empty uses the container app\'s own https address.')
param publicBaseUrl string = ''

@description('Replicas that always run; at least two, so one can restart while the other serves and works.')
@minValue(2)
@maxValue(30)
param minReplicas int = 2

@description('Most replicas under HTTP load.')
@minValue(2)
@maxValue(30)
param maxReplicas int = 4

@description('PostgreSQL administrator login.')
param postgresAdminLogin string = 'bosstalkadmin'

@description('PostgreSQL administrator password. Give it at deployment time (never in a parameters file in source control); ignored when databaseConnectionSecretUri is set and the server exists.')
@secure()
param postgresAdminPassword string

@description('Optional Key Vault secret URI holding the whole ConnectionStrings:BossTalk; the managed identity needs "Key Vault Secrets User" on it. Empty: the connection string is built from the parameters above.')
param databaseConnectionSecretUri string = ''

@description('PostgreSQL compute size (Burstable B1ms is enough for a few thousand users).')
param postgresSkuName string = 'Standard_B1ms'

@description('PostgreSQL tier matching postgresSkuName.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@description('Log retention of the Container Apps environment, in days.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

var databaseName = 'bosstalk'
var appName = '${namePrefix}-app'
var httpPort = 8080
var origin = empty(publicBaseUrl) ? 'https://${appName}.${environmentResource.properties.defaultDomain}' : publicBaseUrl
var host = replace(replace(origin, 'https://', ''), '/', '')
var connectionString = 'Host=${postgres.properties.fullyQualifiedDomainName};Database=${databaseName};Username=${postgresAdminLogin};Password=${postgresAdminPassword};SSL Mode=Require'

// The identity the service is: Graph application permissions and the Exchange RBAC scope are granted to it, it
// pulls the image and reads the Key Vault secret. Nothing about it is secret.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${namePrefix}-identity'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: '${namePrefix}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource environmentResource 'Microsoft.App/managedEnvironments@2025-07-01' = {
  name: '${namePrefix}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2025-08-01' = {
  name: '${namePrefix}-db'
  location: location
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: {
      storageSizeGB: 32
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2025-08-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// 0.0.0.0 to 0.0.0.0 is the documented rule for "allow Azure services"; the server also requires TLS. A private
// network (VNet integration) is left out of this template: see README.
resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2025-08-01' = {
  parent: postgres
  name: 'AllowAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource app 'Microsoft.App/containerApps@2025-07-01' = {
  name: appName
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  dependsOn: [
    database
    allowAzure
  ]
  properties: {
    managedEnvironmentId: environmentResource.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: httpPort
        transport: 'auto'
        allowInsecure: false
      }
      registries: empty(registryServer) ? [] : [
        {
          server: registryServer
          identity: identity.id
        }
      ]
      secrets: [
        empty(databaseConnectionSecretUri)
          ? {
              name: 'bosstalk-connection'
              value: connectionString
            }
          : {
              name: 'bosstalk-connection'
              keyVaultUrl: databaseConnectionSecretUri
              identity: identity.id
            }
      ]
    }
    template: {
      containers: [
        {
          name: 'bosstalk'
          image: image
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          // Settings as in appsettings.sample.json (double underscore for ':').
          env: [
            { name: 'ASPNETCORE_HTTP_PORTS', value: string(httpPort) }
            // Only the environment's ingress reaches the container, so its X-Forwarded-For and -Proto are trusted: the
            // notification endpoint's limit per client address then sees clients, not the ingress
            // (https://learn.microsoft.com/aspnet/core/host-and-deploy/proxy-load-balancer).
            { name: 'ASPNETCORE_FORWARDEDHEADERS_ENABLED', value: 'true' }
            { name: 'Service__PublicBaseUrl', value: origin }
            { name: 'Graph__TenantId', value: tenantId }
            { name: 'Graph__Credential', value: 'ManagedIdentity' }
            // With a managed identity the token is the identity's own, so its client id is both settings.
            { name: 'Graph__ClientId', value: identity.properties.clientId }
            { name: 'Graph__ManagedIdentityClientId', value: identity.properties.clientId }
            { name: 'Auth__Authority', value: '${environment().authentication.loginEndpoint}${tenantId}/v2.0' }
            { name: 'Auth__Audience', value: 'api://${host}/${addInClientId}' }
            { name: 'Auth__Audiences__0', value: addInClientId }
            { name: 'AddIn__ClientId', value: addInClientId }
            { name: 'Storage__Provider', value: 'PostgreSql' }
            { name: 'Storage__DataDirectory', value: '/data' }
            { name: 'ConnectionStrings__BossTalk', secretRef: 'bosstalk-connection' }
          ]
          probes: [
            {
              type: 'Startup'
              httpGet: { path: '/healthz', port: httpPort }
              periodSeconds: 5
              failureThreshold: 24
            }
            {
              type: 'Liveness'
              httpGet: { path: '/healthz', port: httpPort }
              periodSeconds: 30
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: { path: '/readyz', port: httpPort }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
          volumeMounts: [
            { volumeName: 'data', mountPath: '/data' }
          ]
        }
      ]
      volumes: [
        { name: 'data', storageType: 'EmptyDir' }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: max(minReplicas, maxReplicas)
        rules: [
          {
            name: 'http'
            http: {
              metadata: {
                concurrentRequests: '50'
              }
            }
          }
        ]
      }
    }
  }
}

@description('Service:PublicBaseUrl as deployed: the origin for the add-in manifests and the app registration.')
output publicBaseUrl string = origin

@description('Principal (object) id of the managed identity: grant it the Graph application permissions and scope it in Exchange.')
output identityPrincipalId string = identity.properties.principalId

@description('Client id of the managed identity (Graph:ClientId and Graph:ManagedIdentityClientId).')
output identityClientId string = identity.properties.clientId

@description('Host name of the PostgreSQL server.')
output postgresHost string = postgres.properties.fullyQualifiedDomainName
