/// Format 6 of the detector's saved state: the learned entities in buckets, each a row of its
/// own (`BaselineRow`), and a small header with the rest: the clock, the bucket size, the vaults'
/// order, and everything in flight.
///
/// Read, no longer written. A save wrote only the buckets whose entities had changed, but each
/// entity spelled out its own names and a changed bucket rewrote some 128 of them, so on a live
/// stream a save wrote more than the whole compact state (format 5), and took longer; the
/// benchmark's synthetic state grew from 13 to 42 MiB (docs/state.md). A state file saved that
/// way still restores, and its next save writes the state whole and deletes the rows.
extension BaselineSnapshot {
    /// The format with the learned entities in rows.
    static let rowsVersion = 6

    /// The kinds of learned entity, each a section of the whole state and tagged in a bucket.
    enum Section: UInt8 {
        case vault = 1, principal, pair, vaultApplication, userApplication, principalRange, vaultRange, addressBlock,
            routineDays, writtenObject
    }

    /// Reads the entities of a bucket's row into their sections (each names its own names).
    private mutating func takeEntities(of data: [UInt8]) throws(BaselineStateError) {
        var reader = StateReader(data)
        while !reader.isAtEnd {
            reader.clearNames()
            let tag = try reader.unsigned()
            guard let section = Section(rawValue: UInt8(truncatingIfNeeded: tag)), tag <= UInt64(UInt8.max) else {
                throw BaselineStateError("detector state is damaged: a saved bucket has an entity of unknown kind \(tag)")
            }
            try take(section, from: &reader)
        }
    }

    /// Reads one entity of `section` from `reader` into its section.
    private mutating func take(_ section: Section, from reader: inout StateReader) throws(BaselineStateError) {
        switch section {
        case .vault: vaults.append(try reader.vault())
        case .principal: principals.append(try reader.principal())
        case .pair: pairs.append(try reader.pair(format: Self.rowsVersion))
        case .vaultApplication: vaultApplications.append(try reader.named())
        case .userApplication: userApplications.append(try reader.named())
        case .principalRange: principalRanges.append(try reader.range(format: Self.rowsVersion))
        case .vaultRange: vaultRanges.append(try reader.range(format: Self.rowsVersion))
        case .addressBlock: addressBlocks.append(try reader.block(format: Self.rowsVersion))
        case .routineDays: routineDays.append(try reader.routineDays())
        case .writtenObject: writtenObjects.append(try reader.named())
        }
    }

    /// Reads format 6's rows into the entity sections, the vaults in the header's order.
    /// - Throws: `BaselineStateError` for a damaged row, an unknown kind, or rows that do not
    ///   match the header's vaults.
    mutating func takeRows(_ rows: [BaselineRow], vaultOrder: [String]) throws(BaselineStateError) {
        var taken = self
        for row in rows { try taken.takeEntities(of: row.data) }
        var vaultsByName: [String: Vault] = [:]
        for vault in taken.vaults { vaultsByName[vault.name] = vault }
        guard vaultsByName.count == taken.vaults.count else {
            throw BaselineStateError("detector state is damaged: a vault is saved twice")
        }
        self = taken
        vaults = []
        vaults.reserveCapacity(vaultOrder.count)
        for name in vaultOrder {
            guard let vault = vaultsByName.removeValue(forKey: name) else {
                throw BaselineStateError("detector state is damaged: vault \(name) has no row")
            }
            vaults.append(vault)
        }
        guard vaultsByName.isEmpty else {
            throw BaselineStateError("detector state is damaged: \(vaultsByName.count) vault rows the header does not list")
        }
    }
}
