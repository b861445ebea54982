/// What one principal usually does on one vault: when it last reached or was refused by the
/// vault, how big its bursts are (`BurstHistory`), how many secrets it reads after listing
/// them, and when it last read after an access change.
/// It also caches the last application and network range checked today, so a busy caller costs
/// no further look-ups for them.
struct PairBaseline {
    var lastReachedHour: Int32 = .min
    var lastDeniedHour: Int32 = .min
    var isUser = false
    var bursts = BurstHistory()
    var listReadPeak = PeriodMaximum()
    /// Last day this principal read secrets on the vault after changing its access (0 = never).
    var changeReadDay: UInt16 = 0
    var cachedApplication = Symbol.none
    var applicationCheckedDay: UInt16 = 0
    var cachedRange: UInt64 = 0
    var rangeCheckedDay: UInt16 = 0

    /// When the principal first called the vault (day stamp), for its own learning period.
    var firstSeenDay: UInt16 = 0
    /// Operation types (by `OperationIndex`, 63 and above share the last bit) it performed here.
    var operations: UInt64 = 0
    /// The operation types first performed here in hour `operationsHour`: not yet a habit in
    /// that hour's rare-mix test.
    var newOperationsThisHour: UInt64 = 0
    var operationsHour: Int32 = .min

    var lastSeenHour: Int32 { max(lastReachedHour, lastDeniedHour) }

    static func operationBit(_ index: Int) -> UInt64 { 1 << UInt64(min(index, 63)) }
}
