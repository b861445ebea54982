extension AlertCatalog {
    /// English words of each kind.
    static func englishText(for kind: AlertKind) -> AlertText {
        switch kind {
        case .torAccess:
            AlertText(
                displayName: "Access from a Tor exit node",
                description: """
                    A call to the key vault came from an address that relays traffic for the Tor anonymity \
                    network. People who run automation or work from corporate networks rarely use Tor; someone \
                    hiding where they are does. A successful call means the caller holds working credentials.
                    """,
                remediation: """
                    Find out who owns the identity and whether they use Tor on purpose. If not, treat the \
                    identity's credentials as stolen: disable or reset them, revoke its sessions and remove its \
                    vault access, then rotate every secret, key and certificate it could read. Consider a vault \
                    firewall or private endpoint so that only known networks can reach the vault.
                    """)
        case .suspiciousIPAccess:
            AlertText(
                displayName: "Access from a suspicious IP",
                description: """
                    A call to the key vault came from an address in your threat-intelligence list and was not \
                    refused. Whoever sent it holds credentials that the vault accepted.
                    """,
                remediation: """
                    Check why the address is listed and which identity used it. Unless the use is explained, \
                    disable the identity's credentials, revoke its sessions and vault access, rotate what it \
                    could read, and block the address at the vault firewall.
                    """)
        case .suspiciousIPAccessDenied:
            AlertText(
                displayName: "Denied access from a suspicious IP",
                description: """
                    An address in your threat-intelligence list tried to use the key vault and was refused \
                    (HTTP 401 or 403). Nothing was read, but someone there knows the vault exists and may \
                    hold a token for one of your identities.
                    """,
                remediation: """
                    Check which identity the token belonged to and whether it was used from other places. \
                    Block the address at the vault firewall, and reset the identity's credentials if the \
                    token was valid.
                    """)
        case .putGetAnomaly:
            AlertText(
                displayName: "Suspicious policy change then secret query",
                description: """
                    An identity changed the vault's access configuration (an access policy or the vault \
                    itself) and, within the hour, it or the principal it granted read or listed secrets. \
                    This identity has not done that on this vault before: it is how an intruder grants \
                    themselves access and then takes the secrets.
                    """,
                remediation: """
                    Review the change: who made it, what it granted and to whom. Undo it if it was not \
                    planned, disable the identities involved, and rotate every secret that was read after \
                    the change.
                    """)
        case .listGetAnomaly:
            AlertText(
                displayName: "Suspicious secret listing then mass reads",
                description: """
                    An identity listed the vault's secrets and then read many of them within the hour. It does \
                    not usually work this way on this vault: the pattern matches someone dumping the vault's \
                    contents.
                    """,
                remediation: """
                    Confirm with the identity's owner whether a migration or backup job explains it. If not, \
                    disable the identity, revoke its vault access and rotate every secret it read.
                    """)
        case .userAnomaly:
            AlertText(
                displayName: "Unusual user accessed a vault",
                description: """
                    A user who has not used this vault during its learned history accessed it successfully. \
                    New team members cause this; so do stolen accounts.
                    """,
                remediation: """
                    Ask the user, or their manager, whether the access was expected. If it was not, reset the \
                    user's credentials, revoke their sessions and vault access, and rotate what they read.
                    """)
        case .appAnomaly:
            AlertText(
                displayName: "Unusual application accessed a vault",
                description: """
                    An application that has not used this vault during its learned history accessed it \
                    successfully. A new deployment causes this; so does a stolen application secret or token.
                    """,
                remediation: """
                    Check with the application's owner whether a release explains it. If not, rotate the \
                    application's credentials, remove its vault access and rotate what it read.
                    """)
        case .userAppAnomaly:
            AlertText(
                displayName: "Unusual user–application pair",
                description: """
                    A user and an application that both use this vault were seen together on it for the first \
                    time. A user reaching the vault through a tool they never use there can mean a stolen \
                    session or token.
                    """,
                remediation: """
                    Ask the user whether they used this application. If not, revoke the user's sessions and \
                    review what was read through the application.
                    """)
        case .userAccessDeniedAnomaly:
            AlertText(
                displayName: "Unusual user denied",
                description: """
                    An identity that has never used this vault tried to and was refused. It may be a mistake; \
                    it may be someone testing which vaults a stolen identity can reach.
                    """,
                remediation: """
                    Find out who owns the identity and why it tried this vault. If there is no reason, check \
                    its other activity and reset its credentials.
                    """)
        case .operationPatternAnomaly:
            AlertText(
                displayName: "Unusual operation pattern",
                description: """
                    The vault saw operations it does not usually see: an operation type new for the vault or \
                    the identity, or an hour whose mix of operations differs strongly from the usual mix.
                    """,
                remediation: """
                    Look at the new operations and who performed them. Confirm the change with the owners; if \
                    it is not explained, disable the identity and rotate what it touched.
                    """)
        case .operationVolumeAnomaly:
            AlertText(
                displayName: "High volume of operations",
                description: """
                    The vault, or one identity on it, performed far more operations this hour than usual for \
                    this time of day and week. Scripts that dump a vault look like this; so do runaway jobs.
                    """,
                remediation: """
                    Identify the identity and the client behind the burst. If it is not a known job, stop it: \
                    disable the identity and rotate what it read.
                    """)
        case .accountVolumeAnomaly:
            AlertText(
                displayName: "Identity accessed many vaults",
                description: """
                    One identity reached far more vaults in 24 hours than it usually does. That is how a \
                    compromised identity is used to sweep every vault it can reach.
                    """,
                remediation: """
                    Confirm whether the identity runs an inventory or backup task. If not, disable it and \
                    rotate the secrets of every vault it reached.
                    """)
        case .accountVolumeAccessDeniedAnomaly:
            AlertText(
                displayName: "Identity denied on many vaults",
                description: """
                    One identity was refused by many vaults in 24 hours, more than it usually is. Someone may \
                    be probing which vaults the identity can reach.
                    """,
                remediation: """
                    Find out who controls the identity and check its successful calls in the same period. \
                    Reset its credentials if the probing is not explained.
                    """)
        case .unusualAccessSuspiciousIP:
            AlertText(
                displayName: "Unusual access from an unfamiliar IP",
                description: """
                    An identity reached the vault from a network it has never used before, outside your \
                    trusted ranges. Travel and new offices cause this; so do stolen credentials used elsewhere.
                    """,
                remediation: """
                    Ask the identity's owner about the network. If it is not theirs, revoke the identity's \
                    sessions, reset its credentials and rotate what it read from there.
                    """)
        case .sensitiveOperation:
            AlertText(
                displayName: "Sensitive operation",
                description: """
                    A vault, key, secret or certificate was deleted, purged or backed up. Deletion and purge \
                    can break the services that depend on the object (a purge cannot be undone); a backup \
                    copies the object out of the vault.
                    """,
                remediation: """
                    Confirm with the owner that the operation was planned. If it was not: recover a deleted \
                    object while its soft-delete retention lasts, find where a backup went, and remove the \
                    identity's access.
                    """)
        case .testAlert:
            AlertText(
                displayName: "Test alert",
                description: """
                    An operation touched an object named vaultwatch-test-alert. Operators do this on purpose \
                    to check that logs reach VaultWatch and that alerts reach them.
                    """,
                remediation: """
                    Nothing to fix: this alert shows that the path from the vault's logs to the alert works. \
                    Resolve it.
                    """)
        }
    }
}
