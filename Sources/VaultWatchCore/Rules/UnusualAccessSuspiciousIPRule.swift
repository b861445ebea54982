// Behaviour: a known principal suddenly calling from a network it has never used — its
// credentials replayed from an attacker's host.
// Signal: a successful call by a principal that already reached the vault within the memory
// (90 days), from an IP range (/24 for IPv4, /48 for IPv6) the principal has not used within it,
// outside the configured trusted ranges and outside a provider block (/16, IPv6 /32) familiar
// for the principal (`AddressBlocks`): one where it already used `familiarBlockRanges` (2)
// ranges, or whose ranges it each used on at most `dynamicRangeDays` (2) days, the footprint
// of a home line whose address moves, however rarely it is used (a home day a week, skipped
// for weeks), or in a pool the principal roams (`roamingBlocks`, 3: it used 3 other blocks of
// the IPv4 /8 or IPv6 /24, each only for a day or two: a CI pipeline on hosted runners, a new
// cloud address at each run); by default also a range nobody reached the vault from (shared
// corporate or cloud egress ranges are familiar to all). Only successful calls teach ranges.
// The roaming trade: a stolen secret of a pipeline on hosted runners, replayed from a host in
// a pool the pipeline roams (a VM rented from the same cloud), is not caught here; from any
// other network it is, and Tor, threat-intel, the volume, list→reads and many-vaults rules
// judge it wherever it runs from. A pipeline on one build server (one range used for days)
// is not roaming: a new block is still unfamiliar for it. The vault is
// armed, and so is the principal: one that arrived after the learning period needs
// `learningDays` (7) of its own history, so every network its week holds (the office, the home
// line of its home-working day) has been seen.
// Threshold: the first call from the range. New principals are left to the user and
// application alerts, which already say everything about them is new; a new employee's home
// line on their first home-working day is not a stranger's network (a second tenant's new hire
// alerted on it), while Tor and threat-intel addresses still alert from the first call.

/// Raises `KV_UnusualAccessSuspiciousIP` for a known principal calling from an unfamiliar range.
struct UnusualAccessSuspiciousIPRule {
    var settings: BehaviourSettings.UnusualIP
    var trustedRanges: IPRangeSet

    func evaluate(
        _ event: AuditEvent, _ observation: BaselineObservation, context: RuleContext,
        into candidates: inout [AlertCandidate]
    ) {
        guard observation.vaultArmed, event.outcome == .success, let address = event.callerIP,
            observation.principalReachedVault, !observation.rangeKnownForPrincipal, !observation.blockFamiliarForPrincipal,
            !observation.principalIsNewcomer,
            !settings.requireUnfamiliarToVault || !observation.rangeKnownOnVault,
            !trustedRanges.contains(address)
        else { return }
        let caller = context.callerName(of: event)
        let vault = context.vaultName(event.vault)
        let network = "\(address.networkRange)/\(address.isIPv4 ? 24 : 48)"
        let history = context.historyPhrase(days: observation.vaultHistoryDays)
        var reason: String
        switch context.language {
        case .en:
            reason = "\(caller) reached vault \(vault) from \(address) (range \(network)), a network range it has not used \(history)"
            if settings.requireUnfamiliarToVault { reason += " and from which nobody reached \(vault)" }
        case .fr:
            reason = "\(caller) a atteint le coffre \(vault) depuis \(address) (plage \(network)), une plage réseau qu'il n'a pas utilisée \(history)"
            if settings.requireUnfamiliarToVault { reason += " et depuis laquelle personne n'a atteint \(vault)" }
        }
        candidates.append(
            AlertCandidate(
                kind: .unusualAccessSuspiciousIP, severity: .medium, entity: .caller(of: event), event: event,
                reasons: [reason, context.callSentence(event)]))
    }
}
