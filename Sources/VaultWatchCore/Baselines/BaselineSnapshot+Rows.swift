/// Format 6 of the detector's saved state: the learned entities as rows of their own
/// (`BaselineRow`), and a small header with the rest: the clock, the salt of the rows' keys, the
/// vaults' order, and everything in flight.
///
/// Why: saving the whole state wrote every entity at every save (12 MiB on the benchmark's
/// synthetic records, a few MiB for a tenant of hundreds of principals) when one second of events
/// touches a few of them. A save now encodes each entity, compares the digest of its bytes with
/// the one saved (`BaselineDigests`), and writes only the new and changed rows and the keys of the
/// gone ones (`BaselineRowChanges`). Encoding stays O(entities) of CPU per save; what is written
/// follows what changed.
///
/// Keys hash an entity's kind and identity with a salt. Two entities whose keys collide in one
/// save (about one chance in 10^7 for a million entities) would share a row: the save takes the
/// next salt instead, and writes every row again under the new keys (after eight salts, the
/// whole state). A changed entity whose bytes have the digest of its saved row (one chance in
/// 2^64) would not be written.
extension BaselineSnapshot {
    /// The format with the learned entities in rows.
    static let rowsVersion = 6

    /// The kinds of learned entity, each a section of the whole state and a row's `section`.
    enum Section: UInt8 {
        case vault = 1, principal, pair, vaultApplication, userApplication, principalRange, vaultRange, addressBlock,
            routineDays, writtenObject
    }

    /// How many salts a save tries before saving the whole state instead.
    static let saltAttempts: UInt64 = 8

    /// The header of format 6 and the rows that changed since `previous` (all of them when
    /// `previous` is nil: a first save into rows); nil when keys collided under every salt tried
    /// (never seen with 64-bit keys: the caller then saves the whole state).
    /// - Parameter keyMask: narrows the keys (tests make collisions happen with it).
    func rows(previous: BaselineDigests?, keyMask: UInt64 = .max) -> (header: [UInt8], changes: BaselineRowChanges)? {
        let first = previous?.salt ?? 0
        var digests = previous?.digests
        for salt in first..<first &+ Self.saltAttempts {
            if let changes = rowChanges(salt: salt, previous: digests, keyMask: keyMask) {
                return (header(salt: salt), changes)
            }
            // Two entities' keys collided: new keys for all, every row written again.
            digests = nil
        }
        return nil
    }

    /// nil when two entities' keys collide under `salt`.
    private func rowChanges(salt: UInt64, previous: [Int64: UInt64]?, keyMask: UInt64) -> BaselineRowChanges? {
        var seen = Set<Int64>(minimumCapacity: previous?.count ?? 0)
        var upserted: [BaselineRow] = []
        var writer = StateWriter(capacity: 4096)
        var collided = false
        func visit<T>(_ section: Section, _ entities: [T], identity: (inout StableHash, T) -> Void, encode: (inout StateWriter, T) -> Void) {
            for entity in entities where !collided {
                var hash = StableHash(salt: salt)
                hash.combine(byte: section.rawValue)
                identity(&hash, entity)
                let key = Int64(bitPattern: hash.finalized & keyMask)
                guard seen.insert(key).inserted else {
                    collided = true
                    return
                }
                writer.clear()
                encode(&writer, entity)
                if let saved = previous?[key], saved == StableHash.digest(writer.bytes) { continue }
                upserted.append(BaselineRow(key: key, section: section.rawValue, data: writer.bytes))
            }
        }
        visit(.vault, vaults, identity: { $0.combine(name: $1.name) }, encode: { $0.vault($1) })
        visit(.principal, principals, identity: { $0.combine(name: $1.id) }, encode: { $0.principal($1) })
        visit(.pair, pairs, identity: { $0.combine(name: $1.vault); $0.combine(name: $1.principal) }, encode: { $0.pair($1) })
        visit(.vaultApplication, vaultApplications, identity: Self.namedIdentity, encode: { $0.named($1) })
        visit(.userApplication, userApplications, identity: Self.namedIdentity, encode: { $0.named($1) })
        visit(.principalRange, principalRanges, identity: Self.rangeIdentity, encode: { $0.range($1) })
        visit(.vaultRange, vaultRanges, identity: Self.rangeIdentity, encode: { $0.range($1) })
        visit(.addressBlock, addressBlocks, identity: { $0.combine(name: $1.principal); $0.combine(word: $1.block) }, encode: { $0.block($1) })
        visit(
            .routineDays, routineDays,
            identity: { $0.combine(name: $1.vault); $0.combine(name: $1.principal); $0.combine(name: $1.operation) },
            encode: { $0.routineDays($1) })
        visit(.writtenObject, writtenObjects, identity: Self.namedIdentity, encode: { $0.named($1) })
        if collided { return nil }
        let removed = previous.map { $0.keys.filter { !seen.contains($0) } } ?? []
        return BaselineRowChanges(upserted: upserted, removed: removed, replacesAll: previous == nil, salt: salt)
    }

    private static func namedIdentity(_ hash: inout StableHash, _ named: Named) {
        hash.combine(name: named.first)
        hash.combine(name: named.second)
        hash.combine(name: named.third)
    }

    private static func rangeIdentity(_ hash: inout StableHash, _ range: Range) {
        hash.combine(name: range.owner)
        hash.combine(word: range.range)
    }

    /// Format 6's header: the whole state's scalars, the salt, the vaults' order (rows come back
    /// in any order; the detector's vaults keep theirs), and what is in flight.
    private func header(salt: UInt64) -> [UInt8] {
        var writer = StateWriter(capacity: 256 + 32 * vaults.count)
        writer.raw(Self.magic)
        writer.unsigned(UInt64(Self.rowsVersion))
        writeScalars(&writer)
        writer.unsigned(salt)
        writer.array(vaults) { $0.name($1.name) }
        writer.optional(inFlight) { $0.inFlight($1) }
        return writer.bytes
    }

    /// The fields every binary format starts with, after its version.
    func writeScalars(_ writer: inout StateWriter) {
        writer.optional(eventClock) { $0.signed($1) }
        writer.optional(firstEventTime) { $0.signed($1) }
        writer.signed(currentHour)
        writer.signed(currentDay)
    }

    /// The salt of a format 6 header; nil for any other state.
    static func rowSalt(of state: [UInt8]) -> UInt64? {
        guard let version = formatVersion(of: state), version >= rowsVersion else { return nil }
        var reader = StateReader(state, offset: magic.count)
        do {
            _ = try reader.unsigned()
            _ = try reader.optional { reader throws(BaselineStateError) in try reader.signed() }
            _ = try reader.optional { reader throws(BaselineStateError) in try reader.signed() }
            _ = try reader.signed()
            _ = try reader.signed()
            return try reader.unsigned()
        } catch {
            return nil
        }
    }

    /// Reads format 6's rows into the entity sections, the vaults in the header's order.
    /// - Throws: `BaselineStateError` for a damaged row, an unknown section, or rows that do
    ///   not match the header's vaults.
    mutating func takeRows(_ rows: [BaselineRow], vaultOrder: [String]) throws(BaselineStateError) {
        var vaultsByName: [String: Vault] = [:]
        for row in rows {
            guard let section = Section(rawValue: row.section) else {
                throw BaselineStateError("detector state is damaged: row \(row.key) has unknown section \(row.section)")
            }
            var reader = StateReader(row.data)
            switch section {
            case .vault:
                let vault = try reader.vault()
                vaultsByName[vault.name] = vault
            case .principal: principals.append(try reader.principal())
            case .pair: pairs.append(try reader.pair())
            case .vaultApplication: vaultApplications.append(try reader.named())
            case .userApplication: userApplications.append(try reader.named())
            case .principalRange: principalRanges.append(try reader.range())
            case .vaultRange: vaultRanges.append(try reader.range())
            case .addressBlock: addressBlocks.append(try reader.block())
            case .routineDays: routineDays.append(try reader.routineDays())
            case .writtenObject: writtenObjects.append(try reader.named())
            }
            guard reader.isAtEnd else { throw BaselineStateError("detector state is damaged: row \(row.key) has bytes after its end") }
        }
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
