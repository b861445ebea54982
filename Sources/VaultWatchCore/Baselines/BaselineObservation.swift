/// What the baselines knew about one event *before* learning from it: the facts the per-event
/// behavioural rules compare against. Filled by `BehaviourBaseline.observe`.
struct BaselineObservation {
    /// The vault has `learningDays` of its own history: its rules are armed.
    var vaultArmed = false
    /// The detector has `learningDays` of history: the many-vaults rules are armed.
    var detectorArmed = false
    /// Days of the vault's own history.
    var vaultHistoryDays = 0
    var knownPrincipals = 0
    var knownUsers = 0
    var knownApplications = 0

    /// The principal reached this vault within the window (a call not refused).
    var principalReachedVault = false
    /// The principal made any call to this vault within the window, refused or not.
    var principalSeenOnVault = false
    var applicationKnownOnVault = false
    var userApplicationKnownOnVault = false
    var rangeKnownForPrincipal = false
    var rangeKnownOnVault = false
    /// The range is new for the principal, but inside a provider block (/16, IPv6 /32) where it
    /// has used several ranges: a dynamic address, not a new network (`AddressBlocks`).
    var blockFamiliarForPrincipal = false
    var operationKnownOnVault = true
    /// The principal performed this operation type on this vault before.
    var operationKnownForPrincipal = true
    /// The principal performs this type on another vault (asked only when it is new to it on
    /// this one, and a change type or new to the vault): a writer writing somewhere new, not a
    /// reader suddenly writing; an admin's habit arriving on a vault, not the vault's anomaly.
    var operationKnownForPrincipalElsewhere = false
    /// The operation changes the vault (not a read, list or cryptographic use).
    var operationChangesVault = false
    /// Days since the principal first called this vault.
    var principalHistoryDays = 0
    /// The principal arrived after the detector's learning period and has less than
    /// `learningDays` of its own history: the networks of its week are not all seen yet. Filled
    /// only when the call's range is new to the principal (what the unfamiliar-network rule asks).
    var principalIsNewcomer = false

    /// Set when this event added a vault to the principal's 24-hour count of vaults reached.
    var reachedVaults: ManyVaults?
    /// Set when this event added a vault to the principal's 24-hour count of refusals.
    var deniedVaults: ManyVaults?
    /// Set when this secret read grew a list→get sequence.
    var listRead: ListRead?
    /// Set when this read completed an access change→read sequence.
    var changeRead: ChangeRead?

    struct ManyVaults {
        var count: Int
        var usual: Int
        /// Hours since the principal's last alert of this kind (nil: none in memory).
        var hoursSinceAlert: Int32?
        var principalFirstSeen: EventTime
    }

    struct ListRead {
        var distinctSecrets: Int
        var usualPeak: Int
        var listTime: EventTime
        /// The listing and the reads so far, this one last (`BehaviourBaseline.ListSequence`).
        var events: [AuditEvent]
    }

    /// A class, not a struct: with its event inline, the observation every behavioural event
    /// fills was 313 bytes, set to nil and copied whole (memcpy) for nearly every event, though
    /// a change→read sequence completes rarely; referenced, it is 8 bytes, allocated when one
    /// does. Never changed once made.
    final class ChangeRead {
        let changer: Symbol
        let granted: Symbol
        let changeTime: EventTime
        let changeOperation: Symbol
        let changeEvent: AuditEvent
        /// The changer already has a change→read sequence on this vault within the window.
        let isKnownSequence: Bool

        init(
            changer: Symbol, granted: Symbol, changeTime: EventTime, changeOperation: Symbol, changeEvent: AuditEvent,
            isKnownSequence: Bool
        ) {
            self.changer = changer
            self.granted = granted
            self.changeTime = changeTime
            self.changeOperation = changeOperation
            self.changeEvent = changeEvent
            self.isKnownSequence = isKnownSequence
        }
    }
}
