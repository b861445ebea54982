/// Microsoft first-party applications whose ids appear as `appid` in Key Vault audit records,
/// with the display names Microsoft gives their service principals. Only ids confirmed in a
/// public source, named beside each entry; anything else an admin can add with `--directory`.
enum FirstPartyApplications {
    static let names: [String: String] = [
        // The Azure portal, the Azure CLI, Azure PowerShell, Visual Studio, Visual Studio Code
        // and the Azure Service Management API (Azure Resource Manager): Microsoft Learn,
        // "Verify first-party Microsoft applications in sign-in reports"
        // (learn.microsoft.com/troubleshoot/entra/entra-id/governance/verify-first-party-apps-sign-in).
        "c44b4083-3bb0-49c1-b47d-974e53cbdf3c": "Azure Portal",
        "04b07795-8ddb-461a-bbee-02f9e1bf7b46": "Microsoft Azure CLI",
        "1950a258-227b-4e31-a9cf-717495945fc2": "Microsoft Azure PowerShell",
        "872cd9fa-d31f-45e0-9eab-6e460a02d1f1": "Visual Studio",
        "aebc6443-996d-45c2-90f0-388ff96faa56": "Visual Studio Code",
        "797f4846-ba00-4fd7-ba43-dac1f8f63013": "Windows Azure Service Management API",
        // Azure Resource Graph indexing vaults (VaultGet): the Azure Sentinel Key Vault analytic
        // rules exclude it by this id (github.com/Azure/Azure-Sentinel, Solutions/Azure Key Vault);
        // name as in merill/microsoft-info _info/MicrosoftApps.csv (first-party apps of Microsoft's tenant).
        "509e4652-da8d-478d-a730-e9d4a1996ca4": "Azure Resource Graph",
        // Azure Policy evaluating vault contents: merill/microsoft-info _info/MicrosoftApps.csv.
        "8cae6e77-e04e-42ce-b5cb-50d82bce26b1": "Microsoft Policy Insights Provider Data Plane",
        // Key Vault's own application (managed storage account keys): Microsoft Learn, "Manage
        // storage account keys with Key Vault and the Azure CLI" (learn.microsoft.com/azure/key-vault/secrets/overview-storage-keys).
        "cfa8b339-82a2-471a-a3c9-0fc0be7a4093": "Azure Key Vault",
        // App Service importing Key Vault certificates: Microsoft Learn, "Add and manage TLS/SSL
        // certificates in Azure App Service" (learn.microsoft.com/azure/app-service/configure-ssl-certificate).
        "abfa0a7c-a6b6-4736-8310-5855508787cd": "Microsoft Azure App Service",
        // Key Vault-backed secret scopes: Microsoft Learn, Azure Databricks "Secret scopes"
        // (learn.microsoft.com/azure/databricks/security/secrets/secret-scopes).
        "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d": "AzureDatabricks",
        // Azure DevOps (variable groups linked to a vault): merill/microsoft-info _info/MicrosoftApps.csv.
        "499b84ac-1321-427f-aa17-267ca6975798": "Azure DevOps",
        // Front Door reading TLS certificates: Microsoft Learn, "Configure HTTPS on an Azure Front
        // Door custom domain" (learn.microsoft.com/azure/frontdoor/standard-premium/how-to-configure-https-custom-domain).
        "205478c0-bd83-4e1b-a9d6-db63a3e1e1c8": "Microsoft.AzureFrontDoor-Cdn",
    ]
}
