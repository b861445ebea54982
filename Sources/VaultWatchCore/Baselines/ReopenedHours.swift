/// Closed hours that late records reopened, waiting for their late run to end before they are
/// judged (`BehaviourBaseline.judgeReopenedHours`).
///
/// A block written late arrives one record at a time: judged at each record, the vault's count
/// passes its band (less what its callers' habits explain) before the caller whose burst it is
/// passes its own threshold, and the vault-wide alert is raised where, in order, the hour closes
/// complete and the caller's own alert is raised. So a reopened hour is judged once, with every
/// late record of the run counted: once the detector's clock has moved the reorder tolerance
/// past its last late record (the merged stream has gone on without it: the source's late run
/// ended, or it was interrupted long enough for the hour to be closed again), or at the end of
/// the input. More late records after that reopen it again.
///
/// A late run can also come in pieces: late records trickling in among in-order ones, with more
/// than the tolerance of stream time between them. Each piece's judgement can only report what
/// later records cannot undo: a principal above its threshold stays above it (as in order, its
/// own alert), and an hour within every limit is learned and may be reopened again. The
/// vault-wide verdict is the one a later piece can overturn (a caller passing its threshold takes
/// the hour over, as in order), so it waits (`awaitingFinal`) until the hour's late run is over:
/// no late record for `finalDelay` of stream time, or the end of the input.
///
/// Saved with the detector's state (format 9), so a kill inside a late run judges the hour as
/// one run would. `awaitingFinal` is not saved (no new format): a restored hour awaiting its
/// final verdict is judged as a piece again at the first catch-up, which gives the same answer
/// (it waits, having learned nothing), unless its final verdict is due.
///
/// Memory: one entry per vault-hour a late run is adding to, with at most one event per caller
/// that crossed its threshold in it.
struct ReopenedHours: Sendable {
    struct Key: Hashable, Sendable {
        var vault: Symbol
        var hour: Int32
    }

    struct Hour: Sendable {
        /// The detector's clock when the hour's last late record arrived.
        var lastArrival: Int64
        /// `ClosedHours` kept the callers of the hour's records that came in order when the run
        /// began; if not (an hour older than `ClosedHours.keptHours`), only its late records are
        /// put down to their callers.
        var attributed: Bool
        /// The vault's behavioural rules were armed at its last late record.
        var armed = false
        /// The late record that took the vault's count above its band's threshold: the
        /// vault-wide alert's time and first evidence, as the crossing is in order.
        var crossing: AuditEvent?
        /// The late record that took each principal's calls in the hour above its threshold.
        var principalCrossings: [Symbol: AuditEvent] = [:]
        /// A piece of its late run was judged and left the vault above its band with no principal
        /// above its threshold: the vault-wide verdict waits for the run to be over.
        var awaitingFinal = false

        /// The clock past which (less the tolerance) the hour is judged next.
        var nextJudgement: Int64 { awaitingFinal ? lastArrival &+ ReopenedHours.finalDelay : lastArrival }
    }

    /// How long a late run may pause before it is taken as over: the 48 hours for which a closed
    /// hour's callers are kept (`ClosedHours.keptHours`), the span in which a late record of the
    /// hour is still judged with them.
    static let finalDelay = Int64(ClosedHours.keptHours) &* EventTime.ticksPerHour

    private(set) var hours: [Key: Hour] = [:]

    var isEmpty: Bool { hours.isEmpty }

    /// Whether the late records of `vault`'s `hour` are attributed to their callers; nil when no
    /// late run is adding to the hour.
    func attributes(vault: Symbol, hour: Int32) -> Bool? { hours[Key(vault: vault, hour: hour)]?.attributed }

    /// The hour numbers being reopened: `ClosedHours` keeps their callers until they are judged.
    var hourNumbers: Set<Int32> { Set(hours.keys.map(\.hour)) }

    /// The earliest clock a reopened hour is judged at next (its last late record's arrival, or
    /// `finalDelay` after it when it awaits its final verdict): the detector judges it once its
    /// watermark has passed it.
    var nextJudgement: Int64? { hours.values.lazy.map(\.nextJudgement).min() }

    /// The earliest hour of `vault` that a late run reopened and that is still to be judged (nil
    /// when none): a verdict on it can raise an alert of that hour, which folds into an alert of
    /// the vault open then (`AlertAggregator.expire(through:holding:)` keeps those until it is given).
    /// - Complexity: O(reopened hours), a handful: a late run's hours until they are judged.
    func earliestHour(of vault: Symbol) -> Int32? {
        hours.keys.lazy.filter { $0.vault == vault }.map(\.hour).min()
    }

    /// Whether the vault's count in `hour` has gone above its band with a late record already.
    func hasCrossing(vault: Symbol, hour: Int32) -> Bool { hours[Key(vault: vault, hour: hour)]?.crossing != nil }

    /// Notes a late record of `vault`'s `hour` that arrived at clock `arrival`: `crossing` when
    /// it took the vault's count above its band, `principalCrossing` when it took its caller's
    /// calls above the caller's threshold.
    mutating func reopen(
        vault: Symbol, hour: Int32, arrival: Int64, attributed: Bool, armed: Bool, crossing: AuditEvent?,
        principalCrossing: AuditEvent?
    ) {
        let key = Key(vault: vault, hour: hour)
        var entry = hours[key] ?? Hour(lastArrival: arrival, attributed: attributed)
        entry.lastArrival = max(entry.lastArrival, arrival)
        entry.awaitingFinal = false
        entry.armed = armed
        if entry.crossing == nil { entry.crossing = crossing }
        if let principalCrossing { entry.principalCrossings[principalCrossing.principalID] = principalCrossing }
        hours[key] = entry
    }

    /// Takes out the hours due at `watermark` (`nextJudgement` before it), hour then vault
    /// (symbols in the order of their names' first use), so the reports come in the same order
    /// however the records were batched. `isFinal`: the hour's late run is over (`finalDelay`
    /// passed since its last late record, or `watermark` is `.max`: the end of the input).
    mutating func takeDue(before watermark: Int64) -> [(key: Key, hour: Hour, isFinal: Bool)] {
        guard hours.values.contains(where: { $0.nextJudgement < watermark }) else { return [] }
        let due = hours.filter { $0.value.nextJudgement < watermark }
        for key in due.keys { hours[key] = nil }
        return due.map { (key: $0.key, hour: $0.value, isFinal: $0.value.lastArrival &+ Self.finalDelay < watermark) }.sorted {
            ($0.key.hour, $0.key.vault.rawValue) < ($1.key.hour, $1.key.vault.rawValue)
        }
    }

    /// Puts back an hour whose piece was judged without its vault-wide verdict.
    mutating func awaitFinal(vault: Symbol, hour: Int32, _ entry: Hour) {
        var entry = entry
        entry.awaitingFinal = true
        hours[Key(vault: vault, hour: hour)] = entry
    }

    /// Restores a saved entry.
    mutating func restore(vault: Symbol, hour: Int32, _ entry: Hour) { hours[Key(vault: vault, hour: hour)] = entry }
}
