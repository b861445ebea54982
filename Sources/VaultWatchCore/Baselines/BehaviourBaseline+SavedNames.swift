/// The one translation between the baselines' operation indexes and bit sets and the operation
/// names a saved state holds, used alike by the learned state (`snapshot`, `restore`) and by what
/// is in flight (`inFlight`, `restoreInFlight`): a restored process numbers operations anew.
/// Symbols and events go through `SavedNames`.
extension BehaviourBaseline {
    var savedNames: SavedNames { SavedNames(symbols: symbols) }

    /// A per-operation array's non-zero entries, by operation name.
    func savedOperations<T: Numeric>(_ values: [T]) -> [String: T] {
        var named: [String: T] = [:]
        for (index, value) in values.enumerated() where value != .zero { named[operations.names[index]] = value }
        return named
    }

    /// The names of the operation types in a bit set (`PairBaseline.operationBit`).
    func savedOperations(bits: UInt64) -> [String] {
        operations.names.indices.filter { bits & PairBaseline.operationBit($0) != 0 }.map { operations.names[$0] }
    }

    mutating func restoredOperationBits(_ names: [String]) -> UInt64 {
        names.reduce(0) { $0 | PairBaseline.operationBit(operations.index(ofName: $1)) }
    }

    /// The index of a saved operation name, with room for it in `vault`'s per-operation arrays.
    mutating func restoredOperation(_ name: String, in vault: inout VaultBaseline) -> Int {
        let index = operations.index(ofName: name)
        vault.ensureOperation(index)
        return index
    }

    /// Fills one of `vault`'s per-operation arrays from its saved names.
    mutating func restoreOperations<T>(_ named: [String: T], in vault: inout VaultBaseline, _ field: WritableKeyPath<VaultBaseline, [T]>) {
        for (name, value) in named { vault[keyPath: field][restoredOperation(name, in: &vault)] = value }
    }

    static func savedBand(_ band: VolumeBand) -> BaselineInFlight.Band {
        .init(median: band.median, mad: band.mad, samples: band.samples, sameWeekdayMaximum: band.sameWeekdayMaximum, threshold: band.threshold)
    }

    static func restoredBand(_ saved: BaselineInFlight.Band) -> VolumeBand {
        VolumeBand(median: saved.median, mad: saved.mad, samples: saved.samples, sameWeekdayMaximum: saved.sameWeekdayMaximum, threshold: saved.threshold)
    }
}
