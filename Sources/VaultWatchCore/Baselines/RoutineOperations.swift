/// Which behaviours are a principal's routine on a vault — sensitive operations, and the
/// change→read sequences of `KV_PutGetAnomaly` — one learned fact: the same behaviour on
/// `routineDays` distinct earlier days within the window is routine.
///
/// A backup job that backs up a vault's secrets every night is not news on its fourth night:
/// the same sensitive operation by the same principal on the same vault on `routineDays`
/// distinct earlier days within the window is routine. A delete or purge is routine only for
/// an object the principal itself wrote before (created, changed, deleted, backed up): a
/// clean-up job removing what it made. A delete of anything else still alerts.
///
/// Unlike the behavioural facts, alerting calls are counted here: each sensitive operation
/// alerts until it is routine, and counting the days it alerted is how it becomes routine.
/// An admin's weekly onboarding (grant a new member access, then read a secret to check) is
/// the same: the sequence alerts its first weeks, then is routine. A sequence is counted under
/// (vault, changer, the change's operation): changes (`VaultPut`, `VaultPatch`) are never
/// sensitive operations, so the two kinds of keys never meet. Its routine is the vault's: the
/// days of all its changers count, for a changer that ran it there before
/// (`isRoutineSequence`).
/// Memory: one entry per (vault, principal, sensitive operation) and one per object a
/// principal wrote; writes are rare next to reads, so this stays small.
struct RoutineOperations: Sendable {
    /// (vault, principal, operation) → the latest distinct days it succeeded, newest last.
    private(set) var days: [SymbolTriple: SIMD4<UInt16>] = [:]
    /// (vault, principal, object) → last day the principal wrote the object.
    private(set) var written: [SymbolTriple: UInt16] = [:]

    var count: Int { days.count + written.count }

    /// Whether `event` (a successful sensitive operation on day `day`) is routine.
    func isRoutine(
        _ event: AuditEvent, action: OperationTraits.SensitiveAction, day: UInt16, windowStart: UInt16, routineDays: Int
    ) -> Bool {
        guard routineDays > 0, !event.principalID.isNone else { return false }
        let pair = SymbolPair(event.vault, event.principalID)
        guard let known = days[SymbolTriple(pair: pair, third: event.operation)] else { return false }
        var earlier = 0
        for index in 0..<4 where known[index] > windowStart && known[index] < day { earlier += 1 }
        guard earlier >= min(routineDays, 4) else { return false }
        if action == .backup || event.objectName.isNone { return true }
        guard let last = written[SymbolTriple(pair: pair, third: event.objectName)] else { return false }
        return last > windowStart
    }

    /// The distinct earlier days within the window on which `event`'s operation succeeded for
    /// its principal on its vault (at most four are kept).
    func earlierDays(of event: AuditEvent, day: UInt16, windowStart: UInt16) -> Int {
        earlierDays(of: SymbolTriple(pair: SymbolPair(event.vault, event.principalID), third: event.operation), day: day, windowStart: windowStart)
    }

    /// The distinct days before `day` and after `windowStart` counted for `key` (at most four).
    func earlierDays(of key: SymbolTriple, day: UInt16, windowStart: UInt16) -> Int {
        guard let known = days[key] else { return 0 }
        return (0..<4).filter { known[$0] > windowStart && known[$0] < day }.count
    }

    /// Whether the change→read sequence through `change` on `vault` is routine for `changer` on
    /// `day`: it is the vault's routine — its changers together ran it on `routineDays` distinct
    /// days before `day` within the window, alerted or not — and `changer` is one of them (it ran
    /// it there itself on an earlier day within the window). Admins who onboard in turn (one week
    /// one, the next week the other) share the vault's routine; someone who never ran it on the
    /// vault (an admin granting access on a vault it never changed, an intruder) is not part of
    /// it. 0 = never.
    /// - Complexity: a pass over the counted behaviours (one per vault, principal and sensitive
    ///   operation or change: few), asked only for a change→read sequence its changer did not
    ///   learn clean, and only once the changer ran it there before.
    func isRoutineSequence(vault: Symbol, changer: Symbol, change: Symbol, day: UInt16, windowStart: UInt16, routineDays: Int) -> Bool {
        guard routineDays > 0,
            earlierDays(of: SymbolTriple(pair: SymbolPair(vault, changer), third: change), day: day, windowStart: windowStart) > 0
        else { return false }
        let needed = min(routineDays, 4)
        var vaultDays: [UInt16] = []
        for (key, known) in days where key.pair.first == vault && key.third == change {
            for index in 0..<4 where known[index] > windowStart && known[index] < day && !vaultDays.contains(known[index]) {
                vaultDays.append(known[index])
                if vaultDays.count >= needed { return true }
            }
        }
        return false
    }

    /// Counts a change→read sequence of `changer` on `vault` through `change` on `day`.
    mutating func observeSequence(vault: Symbol, changer: Symbol, change: Symbol, day: UInt16) {
        count(day, of: SymbolTriple(pair: SymbolPair(vault, changer), third: change))
    }

    /// Learns a successful call: its day if it is sensitive, its object if it writes one.
    mutating func observe(_ event: AuditEvent, traits: OperationTraits, day: UInt16) {
        guard event.outcome == .success, !event.principalID.isNone else { return }
        let pair = SymbolPair(event.vault, event.principalID)
        if traits.sensitiveAction != nil { count(day, of: SymbolTriple(pair: pair, third: event.operation)) }
        if (!traits.isReadOnly || traits.sensitiveAction != nil), !event.objectName.isNone {
            let key = SymbolTriple(pair: pair, third: event.objectName)
            written[key] = max(written[key] ?? 0, day)
        }
    }

    /// Adds `day` to `key`'s newest four distinct days.
    private mutating func count(_ day: UInt16, of key: SymbolTriple) {
        var known = days[key] ?? .zero
        if known[3] < day {
            known = SIMD4(known[1], known[2], known[3], day)
        } else if !(0..<4).contains(where: { known[$0] == day }) {
            // An older day arriving late: keep the newest four distinct days.
            var list = [known[0], known[1], known[2], known[3], day].filter { $0 != 0 }
            list = Array(Set(list)).sorted().suffix(4)
            while list.count < 4 { list.insert(0, at: 0) }
            known = SIMD4(list[0], list[1], list[2], list[3])
        }
        days[key] = known
    }

    /// Forgets what was last seen before `day`.
    mutating func forget(before day: UInt16) {
        days = days.filter { $0.value[3] >= day }
        written = written.filter { $0.value >= day }
    }

    mutating func restore(days: [SymbolTriple: SIMD4<UInt16>], written: [SymbolTriple: UInt16]) {
        self.days = days
        self.written = written
    }
}
