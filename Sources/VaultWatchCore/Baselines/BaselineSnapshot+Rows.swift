/// Format 6 of the detector's saved state: the learned entities in buckets, each a row of its
/// own (`BaselineRow`), and a small header with the rest: the clock, the bucket size, the vaults'
/// order, and everything in flight.
///
/// Why: saving the whole state wrote every entity at every save (13 MiB on the benchmark's
/// synthetic records, a few MiB for a tenant of hundreds of principals) when one second of events
/// touches a few of them. A save now encodes each entity, sums the digests of the entities of each
/// bucket, and writes only the buckets whose sum differs from the one saved (`BaselineDigests`),
/// and deletes those left empty (`BaselineRowChanges`). Encoding stays O(entities) of CPU per
/// save; what is written follows what changed, a bucket at a time.
///
/// Why buckets and not a row per entity: SQLite costs some 20 to 60 µs a row here, so a row per
/// entity made a save of the synthetic records' 805,000 entities take 46 s. A bucket holds about
/// 128 entities (between 32 and 512: outside, the next save picks a new size and writes every
/// bucket again), so the whole state is a few thousand rows at most.
///
/// The sum of a bucket's entity digests does not depend on the order the entities come in (they
/// come from hash tables). A changed bucket whose sum stays the same — one chance in 2^64 — would
/// not be written.
extension BaselineSnapshot {
    /// The format with the learned entities in rows.
    static let rowsVersion = 6

    /// The kinds of learned entity, each a section of the whole state and tagged in a bucket.
    enum Section: UInt8 {
        case vault = 1, principal, pair, vaultApplication, userApplication, principalRange, vaultRange, addressBlock,
            routineDays, writtenObject
    }

    /// Entities a bucket aims at, and the range it may drift in before buckets are resized.
    static let bucketTarget = 128
    static let bucketRange = 32...512
    static let maximumBucketBits = 16

    /// The bucket size for `count` entities: about `bucketTarget` in each.
    static func bucketBits(forEntities count: Int) -> Int {
        var bits = 0
        while bits < maximumBucketBits, count >> bits > bucketTarget * 3 / 2 { bits += 1 }
        return bits
    }

    var entityCount: Int {
        vaults.count + principals.count + pairs.count + vaultApplications.count + userApplications.count + principalRanges.count
            + vaultRanges.count + addressBlocks.count + routineDays.count + writtenObjects.count
    }

    /// The header of format 6 and the buckets that changed since `previous` (all of them when
    /// `previous` is nil, or when the entities outgrew its bucket size).
    func rows(previous: BaselineDigests?) -> (header: [UInt8], changes: BaselineRowChanges) {
        let count = entityCount
        var bits = previous?.bucketBits ?? Self.bucketBits(forEntities: count)
        var saved = previous?.digests
        let perBucket = count >> bits
        if bits > 0 && perBucket < Self.bucketRange.lowerBound || bits < Self.maximumBucketBits && perBucket > Self.bucketRange.upperBound {
            bits = Self.bucketBits(forEntities: count)
            saved = nil
        }
        let bucketCount = 1 << bits
        var buckets = [[UInt8]](repeating: [], count: bucketCount)
        var sums = [UInt64](repeating: 0, count: bucketCount)
        var writer = StateWriter(capacity: 4096)
        func visit<T>(_ section: Section, _ entities: [T], identity: (inout StableHash, T) -> Void, encode: (inout StateWriter, T) -> Void) {
            for entity in entities {
                var key = StableHash()
                key.combine(byte: section.rawValue)
                identity(&key, entity)
                let bucket = bits == 0 ? 0 : Int(truncatingIfNeeded: key.finalized >> UInt64(64 - bits))
                writer.clear()
                writer.unsigned(UInt64(section.rawValue))
                encode(&writer, entity)
                sums[bucket] &+= StableHash.digest(writer.bytes)
                buckets[bucket].append(contentsOf: writer.bytes)
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
        var upserted: [BaselineRow] = []
        var removed: [Int64] = []
        var digests: [Int64: UInt64] = [:]
        for bucket in 0..<bucketCount {
            let key = Int64(bucket)
            if buckets[bucket].isEmpty {
                if saved?[key] != nil { removed.append(key) }
            } else if saved?[key] != sums[bucket] {
                upserted.append(BaselineRow(key: key, data: buckets[bucket]))
                digests[key] = sums[bucket]
            }
        }
        return (
            header(bucketBits: bits),
            BaselineRowChanges(upserted: upserted, removed: removed, replacesAll: saved == nil, bucketBits: bits, digests: digests)
        )
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

    /// Format 6's header: the whole state's scalars, the bucket size, the vaults' order (rows
    /// come back in any order; the detector's vaults keep theirs), and what is in flight.
    private func header(bucketBits: Int) -> [UInt8] {
        var writer = StateWriter(capacity: 256 + 32 * vaults.count)
        writer.raw(Self.magic)
        writer.unsigned(UInt64(Self.rowsVersion))
        writeScalars(&writer)
        writer.unsigned(UInt64(bucketBits))
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

    /// The bucket size of a format 6 header; nil for any other state.
    static func bucketBits(of state: [UInt8]) -> Int? {
        guard let version = formatVersion(of: state), version >= rowsVersion else { return nil }
        var reader = StateReader(state, offset: magic.count)
        do {
            _ = try reader.unsigned()
            _ = try reader.optional { reader throws(BaselineStateError) in try reader.signed() }
            _ = try reader.optional { reader throws(BaselineStateError) in try reader.signed() }
            _ = try reader.signed()
            _ = try reader.signed()
            let bits = try reader.unsigned()
            return bits <= UInt64(maximumBucketBits) ? Int(bits) : nil
        } catch {
            return nil
        }
    }

    /// The digest a save gave a bucket: the sum of its entities' digests, read back from its row.
    static func bucketDigest(_ data: [UInt8]) throws(BaselineStateError) -> UInt64 {
        var sum: UInt64 = 0
        try forEachEntity(in: data) { _, bytes throws(BaselineStateError) in sum &+= StableHash.digest(bytes) }
        return sum
    }

    /// Calls `body` with each entity of a bucket's row: its section and its bytes (section tag
    /// included), having read it with `reader` positioned on its fields.
    private static func forEachEntity(
        in data: [UInt8], _ body: (Section, ArraySlice<UInt8>) throws(BaselineStateError) -> Void,
        read: ((Section, inout StateReader) throws(BaselineStateError) -> Void)? = nil
    ) throws(BaselineStateError) {
        var reader = StateReader(data)
        while !reader.isAtEnd {
            let start = reader.offset
            reader.clearNames()
            let tag = try reader.unsigned()
            guard let section = Section(rawValue: UInt8(truncatingIfNeeded: tag)), tag <= UInt64(UInt8.max) else {
                throw BaselineStateError("detector state is damaged: a saved bucket has an entity of unknown kind \(tag)")
            }
            if let read {
                try read(section, &reader)
            } else {
                try skip(section, &reader)
            }
            try body(section, data[start..<reader.offset])
        }
    }

    private static func skip(_ section: Section, _ reader: inout StateReader) throws(BaselineStateError) {
        var scratch = BaselineSnapshot.empty
        try scratch.take(section, from: &reader)
    }

    /// Reads one entity of `section` from `reader` into its section.
    private mutating func take(_ section: Section, from reader: inout StateReader) throws(BaselineStateError) {
        switch section {
        case .vault: vaults.append(try reader.vault())
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
    }

    static var empty: BaselineSnapshot {
        BaselineSnapshot(
            version: currentVersion, eventClock: nil, firstEventTime: nil, currentHour: 0, currentDay: 0, vaults: [], principals: [],
            pairs: [], vaultApplications: [], userApplications: [], principalRanges: [], vaultRanges: [], addressBlocks: [],
            routineDays: [], writtenObjects: [], inFlight: nil)
    }

    /// Reads format 6's rows into the entity sections, the vaults in the header's order.
    /// - Throws: `BaselineStateError` for a damaged row, an unknown kind, or rows that do not
    ///   match the header's vaults.
    mutating func takeRows(_ rows: [BaselineRow], vaultOrder: [String]) throws(BaselineStateError) {
        var taken = self
        for row in rows {
            try Self.forEachEntity(in: row.data, { _, _ throws(BaselineStateError) in }, read: { section, reader throws(BaselineStateError) in
                try taken.take(section, from: &reader)
            })
        }
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
