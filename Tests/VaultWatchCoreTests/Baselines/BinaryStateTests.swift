import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// The detector's saved state in its binary form (format 3), and the JSON form (format 2) that
/// state files of the previous version hold.
@Suite("The binary detector state")
struct BinaryStateTests {
    /// A detector that has read the demo tenant up to the middle of its attack day: every kind
    /// of learned fact, and held events, open hours and open sequences in flight.
    static func midAttack() async throws -> (input: RestartBoundaryTests.Input, detector: Detector, cut: Int, published: [String: Alert]) {
        let input = try RestartBoundaryTests.Input()
        let attack = input.events.firstIndex { $0.time >= input.tenant.attackDayStart.ticks } ?? 0
        // A quarter of an hour after the attack day's first secret listing: released from the
        // reorder buffer, it is an open sequence waiting for reads.
        let listing = input.events[attack...].firstIndex { $0.operation?.hasPrefix("SecretList") == true } ?? attack
        let after = input.events[listing].time + 15 * EventTime.ticksPerMinute
        let cut = input.events[listing...].firstIndex { $0.time > after } ?? input.events.count
        let symbols = SymbolTable()
        let detector = Detector(symbols: symbols, configuration: input.configuration)
        var published = RestartBoundaryTests.Published()
        await RestartBoundaryTests.feed(try input.events(0..<cut, symbols: symbols), to: detector, batchSize: 500, into: &published)
        return (input, detector, cut, published.alerts)
    }

    /// The alerts of the whole run when the detector stopped at `cut` is restored from each of
    /// `states` in a new process (fresh symbols) and reads the rest of the tenant: one result
    /// per state, to compare a state of an older format with the current one.
    static func runsRestoredFrom(
        _ states: [Data], after stopped: (input: RestartBoundaryTests.Input, detector: Detector, cut: Int, published: [String: Alert])
    ) async throws -> [[String: Alert]] {
        let (input, detector, cut, before) = stopped
        let openAlerts = await detector.openAlerts
        let clock = await detector.eventClock
        var results: [[String: Alert]] = []
        for saved in states {
            let symbols = RestartBoundaryTests.newProcessSymbols()
            let restored = try Detector(symbols: symbols, configuration: input.configuration, restoring: saved)
            await restored.restore(openAlerts: openAlerts, eventClock: clock)
            var published = RestartBoundaryTests.Published(alerts: before)
            await RestartBoundaryTests.feed(
                try input.events(cut..<input.events.count, symbols: symbols), to: restored, batchSize: 300, into: &published)
            published.add(await restored.finish())
            results.append(published.alerts)
        }
        return results
    }

    /// A state `detector` saves in the older `format`: stamped with it, and, once `patch` gives it
    /// from the current state the fields that format leaves out (`lacking` checks first that it
    /// does), read back equal to the current state.
    /// - Returns: the state in `format` and the current state, as saved.
    @discardableResult
    static func olderFormat(
        _ format: Int, of detector: Detector, readsBackAs comment: Comment,
        lacking: (_ read: BaselineSnapshot) throws -> Void,
        patch: (_ read: inout BaselineSnapshot, _ current: BaselineSnapshot) -> Void
    ) async throws -> (older: Data, current: Data) {
        let state = try await detector.exportState()
        let current = try BaselineSnapshot.decode(state)
        let older = await detector.exportState(format: format)
        #expect(Detector.stateFormatVersion(of: older) == format)
        var read = try BaselineSnapshot.decode(older)
        try lacking(read)
        patch(&read, current)
        // Before format 18 a state kept no records taken lately, nor how many came again.
        if format < BaselineSnapshot.identitiesVersion {
            #expect(read.inFlight?.identities == nil && read.inFlight?.counters.duplicateRecords == 0)
            read.inFlight?.identities = current.inFlight?.identities
            read.inFlight?.counters.duplicateRecords = current.inFlight?.counters.duplicateRecords ?? 0
        }
        // Before format 21 a state kept no ids of the alerts raised and no longer open.
        if format < BaselineSnapshot.issuedAlertIDsVersion {
            #expect(read.inFlight?.issuedAlertIDs == nil)
            read.inFlight?.issuedAlertIDs = current.inFlight?.issuedAlertIDs
        }
        // Before format 22 a state kept no lines of late repeats whose runs' reports were not settled.
        if format < BaselineSnapshot.lateRepeatsVersion {
            #expect(read.inFlight?.lateRepeats == nil)
            read.inFlight?.lateRepeats = current.inFlight?.lateRepeats
        }
        #expect(read == current, comment)
        return (older, state)
    }

    /// The run restored from `states.older` after `stopped` gives the alerts of the one restored
    /// from `states.current`, which it returns.
    @discardableResult
    static func expectSameRun(
        restoredFrom states: (older: Data, current: Data),
        after stopped: (input: RestartBoundaryTests.Input, detector: Detector, cut: Int, published: [String: Alert])
    ) async throws -> [String: Alert] {
        let results = try await runsRestoredFrom([states.current, states.older], after: stopped)
        #expect(RestartBoundaryTests.difference(results[1], results[0]) == nil)
        return results[0]
    }

    @Test("every field of a populated state comes back from the binary form")
    func roundTrip() async throws {
        let (_, detector, _, _) = try await Self.midAttack()
        let state = try await detector.exportState()
        #expect(state.starts(with: BaselineSnapshot.magic))
        #expect(Detector.stateFormatVersion(of: state) == BaselineSnapshot.currentVersion)
        let snapshot = try BaselineSnapshot.decode(state)
        // Populated, so that a field the writer skipped would shift everything after it.
        #expect(!snapshot.vaults.isEmpty && !snapshot.principals.isEmpty && !snapshot.pairs.isEmpty)
        #expect(!snapshot.vaultApplications.isEmpty && !snapshot.userApplications.isEmpty)
        #expect(!snapshot.principalRanges.isEmpty && !snapshot.vaultRanges.isEmpty && !snapshot.writtenObjects.isEmpty)
        let inFlight = try #require(snapshot.inFlight)
        #expect(!inFlight.reorder.pending.isEmpty && !inFlight.baselines.vaultHours.isEmpty && !inFlight.baselines.pairHours.isEmpty)
        #expect(!inFlight.baselines.lists.isEmpty)
        #expect(inFlight.counters.eventsSeen > 0)
        // Through JSON, the model is the same: the binary form holds what the JSON form held.
        var legacy = snapshot
        legacy.version = BaselineSnapshot.jsonVersion
        let json = try JSONEncoder().encode(legacy)
        #expect(try BaselineSnapshot.decode(json) == snapshot)
        // Names are written once: the binary form is a small fraction of the JSON one.
        #expect(state.count * 4 < json.count, "binary \(state.count) bytes, JSON \(json.count)")
    }

    @Test("a version 2 JSON state, as the previous VaultWatch saved it, restores to the same run as the binary state")
    func jsonStateOfThePreviousVersion() async throws {
        let stopped = try await Self.midAttack()
        let state = try await stopped.detector.exportState()
        var legacy = try BaselineSnapshot.decode(state)
        legacy.version = BaselineSnapshot.jsonVersion
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(legacy)

        let results = try await Self.runsRestoredFrom([state, json], after: stopped)
        #expect(results[0].values.contains { $0.kind == .listGetAnomaly })
        #expect(RestartBoundaryTests.difference(results[1], results[0]) == nil)
    }

    @Test("a version 5 state, saved before pairs remembered their list→reads, restores to the same run")
    func version5State() async throws {
        let stopped = try await Self.midAttack()
        let state = try await stopped.detector.exportState()
        #expect(try BaselineSnapshot.decode(state).pairs.contains { ($0.listReadMemory?.current ?? 0) > 0 }, "the demo's restarts list and read")
        let version5 = await stopped.detector.exportState(format: 5)
        #expect(Detector.stateFormatVersion(of: version5) == 5)
        #expect(try BaselineSnapshot.decode(version5).pairs.allSatisfy { $0.listReadMemory == nil })
        // Format 5 as the previous VaultWatch wrote it.
        let fixture = try BaselineSnapshot.decode(Format6Fixture.whole)
        #expect(!fixture.pairs.isEmpty && fixture.pairs.allSatisfy { $0.listReadMemory == nil })

        let results = try await Self.runsRestoredFrom([state, version5], after: stopped)
        // Sixteen days: no pair is back after more than the window, so nothing reads the memory.
        #expect(results[0].values.contains { $0.kind == .listGetAnomaly })
        #expect(RestartBoundaryTests.difference(results[1], results[0]) == nil)
    }

    @Test("a version 9 state, saved before provider blocks counted the days of their ranges, restores: its ranges count as used on many days")
    func version9State() async throws {
        let (_, detector, _, _) = try await Self.midAttack()
        let current = try BaselineSnapshot.decode(try await detector.exportState())
        #expect(!current.addressBlocks.isEmpty && current.addressBlocks.allSatisfy { $0.rangeDays?.count == 4 && $0.rangeLastDays?.count == 4 })
        try await Self.olderFormat(9, of: detector, readsBackAs: "everything but the days comes back") { read in
            #expect(read.addressBlocks.allSatisfy { $0.rangeDays == nil && $0.rangeLastDays == nil })
        } patch: { read, current in
            read.addressBlocks = current.addressBlocks
            // Nor the objects of pairs' hours (format 11: `version10State`).
            read.pairs = current.pairs
            read.inFlight?.baselines.pairHours = current.inFlight?.baselines.pairHours ?? []
            // Nor the objects of closed hours' replicas (format 13: `version12State`).
            read.inFlight?.baselines.closedHours = current.inFlight?.baselines.closedHours
        }

        // Carol's dynamic home line, saved before her home day after two weeks at the office: in
        // format 10 its one range was used on one day (familiar: nothing on day 25); from format
        // 9 the days are unknown, counted as many, and her new range asks once, as the detector
        // that saved the state would have.
        let habits = TenantHabitTests()
        let events = habits.skippedHomeDays(days: 29)
        let cut = try #require(events.firstIndex { $0.time >= BehaviourFixture.time(day: 24, hour: 0) })
        let saving = Detector(symbols: habits.fixture.symbols, configuration: habits.fixture.configuration())
        await saving.process(EventBatch(events: Array(events[..<cut])))
        let saved = try await saving.exportState()
        var unusual: [Int] = []
        for state in [saved, await saving.exportState(format: 9)] {
            let restored = try Detector(symbols: habits.fixture.symbols, configuration: habits.fixture.configuration(), restoring: state)
            let alerts = await finalAlerts(of: Array(events[cut...]), through: restored, batchSize: 500)
            unusual.append(alerts.filter { $0.kind == .unusualAccessSuspiciousIP && $0.principalID == TenantHabitTests.carol }.count)
        }
        #expect(unusual == [0, 1])
    }

    @Test("a version 10 state, saved before pairs counted the objects of their hours, restores to the same run; its open hours are held to their threshold")
    func version10State() async throws {
        let stopped = try await Self.midAttack()
        let current = try BaselineSnapshot.decode(try await stopped.detector.exportState())
        #expect(current.pairs.contains { ($0.burstObjects?.current ?? 0) > 0 }, "the demo's restarts read secrets")
        let openHours = try #require(current.inFlight?.baselines.pairHours)
        #expect(openHours.allSatisfy { $0.ceiling != nil && $0.objects != nil } && openHours.contains { $0.objects?.isEmpty == false })
        let states = try await Self.olderFormat(10, of: stopped.detector, readsBackAs: "everything but the objects comes back") { read in
            #expect(read.pairs.allSatisfy { $0.burstObjects == nil })
            #expect(read.inFlight?.baselines.pairHours.allSatisfy { $0.ceiling == nil && $0.objects == nil } == true)
        } patch: { read, current in
            read.pairs = current.pairs
            read.inFlight?.baselines.pairHours = openHours
            read.inFlight?.baselines.closedHours = current.inFlight?.baselines.closedHours
        }
        let alerts = try await Self.expectSameRun(restoredFrom: states, after: stopped)
        #expect(alerts.values.contains { $0.kind == .operationVolumeAnomaly })
    }

    @Test("a version 12 state, saved before closed hours kept the objects of more replicas, restores to the same run; its callers are held to their ceiling")
    func version12State() async throws {
        let stopped = try await Self.midAttack()
        let current = try BaselineSnapshot.decode(try await stopped.detector.exportState())
        // The demo's configuration providers restart their replicas: their hours are more replicas.
        let closed = try #require(current.inFlight?.baselines.closedHours)
        let replicas = closed.flatMap(\.callers).filter { $0.replicas != nil }
        #expect(!replicas.isEmpty && replicas.allSatisfy { $0.replicas?.objects.isEmpty == false }, "\(closed.count) closed hours")
        let openHours = try #require(current.inFlight?.baselines.pairHours)
        #expect(openHours.allSatisfy { $0.listingAlerted != nil })
        let states = try await Self.olderFormat(
            12, of: stopped.detector, readsBackAs: "everything but the replicas' objects, the listings' marks and the fingerprints comes back"
        ) { read in
            let readClosed = read.inFlight?.baselines.closedHours ?? []
            #expect(readClosed.flatMap(\.callers).allSatisfy { $0.replicas == nil })
            #expect(read.inFlight?.baselines.pairHours.allSatisfy { $0.listingAlerted == nil } == true)
            // As format 12 saved them: the ceiling as the threshold of a caller whose hour was more replicas.
            #expect(readClosed.map { "\($0.vault) \($0.hour)" } == closed.map { "\($0.vault) \($0.hour)" })
            for (savedHour, hour) in zip(readClosed, closed) {
                for (saved, caller) in zip(savedHour.callers, hour.callers) {
                    let limit = caller.replicas?.ceiling ?? caller.threshold
                    #expect(saved.threshold == limit && saved.habit == (caller.replicas == nil ? caller.habit : limit), "\(caller)")
                }
            }
        } patch: { read, current in
            read.inFlight?.baselines.closedHours = closed
            read.inFlight?.baselines.pairHours = openHours
            for index in read.pairs.indices { read.pairs[index].objectFingerprint = current.pairs[index].objectFingerprint }
        }
        try await Self.expectSameRun(restoredFrom: states, after: stopped)
    }

    @Test("a version 13 state, saved before network ranges were written compactly, reads back the same; an IPv4 range now takes 6 bytes fewer")
    func version13State() async throws {
        let (_, detector, _, _) = try await Self.midAttack()
        let state = try await detector.exportState()
        let current = try BaselineSnapshot.decode(state)
        let ranges = (current.principalRanges + current.vaultRanges).map(\.range) + current.addressBlocks.map(\.block)
        #expect(ranges.contains { $0 >> 63 == 1 }, "IPv4 ranges and blocks")
        let version13 = await detector.exportState(format: 13)
        #expect(Detector.stateFormatVersion(of: version13) == 13)
        // Its sizes against format 15's, whose names are numbered across its sections as 13's.
        let version15 = await detector.exportState(format: 15)
        // Everything comes back but what format 14 adds besides (`version13StateWithoutFingerprints`).
        var read = try BaselineSnapshot.decode(version13)
        for index in read.pairs.indices { read.pairs[index].objectFingerprint = current.pairs[index].objectFingerprint }
        read.inFlight?.baselines.closedHours = current.inFlight?.baselines.closedHours
        read.inFlight?.identities = current.inFlight?.identities
        read.inFlight?.counters.duplicateRecords = current.inFlight?.counters.duplicateRecords ?? 0
        read.inFlight?.issuedAlertIDs = current.inFlight?.issuedAlertIDs
        read.inFlight?.lateRepeats = current.inFlight?.lateRepeats
        #expect(read == current, "everything comes back")
        // Every range's varint: its tag in the top bit (format 13) against in the lowest (14).
        func length(_ value: UInt64) -> Int { max(1, (64 - value.leadingZeroBitCount + 6) / 7) }
        let saved = ranges.map { length($0) - length($0 << 1 | $0 >> 63) }.reduce(0, +)
        #expect(saved >= 6 * ranges.count(where: { $0 >> 63 == 1 }))
        // Format 14's fingerprints: a flag a pair, and the period, count and words of each kept one;
        // a byte for each replicas caller's new objects (a handful: one varint byte), and format
        // 15's byte for its listing's mark.
        let fingerprints = current.pairs.count + current.pairs.compactMap(\.objectFingerprint).map { fingerprint in
            length(UInt64(fingerprint.period)) + 1 + fingerprint.words.map(length).reduce(0, +)
        }.reduce(0, +)
        let replicasCallers = (current.inFlight?.baselines.closedHours ?? []).flatMap(\.callers).count { $0.replicas != nil }
        #expect(version13.count - version15.count == saved - fingerprints - 2 * replicasCallers)
    }

    @Test("a version 13 state, saved before pairs kept a fingerprint of their usual objects, restores to the same run; its pairs are judged by their number of objects")
    func version13StateWithoutFingerprints() async throws {
        let stopped = try await Self.midAttack()
        let current = try BaselineSnapshot.decode(try await stopped.detector.exportState())
        // The demo's configuration providers read their secrets in bursts: they keep a fingerprint.
        #expect(current.pairs.contains { $0.objectFingerprint != nil } && current.pairs.contains { $0.objectFingerprint == nil })
        let states = try await Self.olderFormat(
            13, of: stopped.detector, readsBackAs: "everything but the fingerprints and the replicas' new objects comes back"
        ) { read in
            #expect(read.pairs.allSatisfy { $0.objectFingerprint == nil })
            let readClosed = read.inFlight?.baselines.closedHours ?? []
            #expect(readClosed.flatMap(\.callers).allSatisfy { $0.replicas.map { $0.newObjects == 0 } ?? true })
        } patch: { read, current in
            for index in read.pairs.indices { read.pairs[index].objectFingerprint = current.pairs[index].objectFingerprint }
            read.inFlight?.baselines.closedHours = current.inFlight?.baselines.closedHours
        }
        try await Self.expectSameRun(restoredFrom: states, after: stopped)
    }

    @Test("a version 14 state, saved before closed hours kept the mark of an alerted listing, restores to the same run; the mark takes a byte a replicas caller")
    func version14State() async throws {
        let stopped = try await Self.midAttack()
        let state = try await stopped.detector.exportState()
        let current = try BaselineSnapshot.decode(state)
        let replicasCallers = (current.inFlight?.baselines.closedHours ?? []).flatMap(\.callers).count { $0.replicas != nil }
        #expect(replicasCallers > 0)
        let states = try await Self.olderFormat(14, of: stopped.detector, readsBackAs: "everything but the listings' marks comes back") { read in
            let readClosed = read.inFlight?.baselines.closedHours ?? []
            #expect(readClosed.flatMap(\.callers).allSatisfy { $0.replicas.map { !$0.listingAlerted } ?? true })
        } patch: { read, current in
            read.inFlight?.baselines.closedHours = current.inFlight?.baselines.closedHours
        }
        #expect(await stopped.detector.exportState(format: 15).count - states.older.count == replicasCallers)
        // What a format 14 state's caller whose listing alerted then teaches late:
        // `LateReplicaTests.restartInsideAlertedListingReplicasHour`.
        try await Self.expectSameRun(restoredFrom: states, after: stopped)
    }

    @Test("a version 15 state, saved before its in-flight section numbered its own names, reads back the same and restores to the same run")
    func version15State() async throws {
        let stopped = try await Self.midAttack()
        let states = try await Self.olderFormat(15, of: stopped.detector, readsBackAs: "everything comes back") { _ in
        } patch: { _, _ in
        }
        // Format 16 spells out again, once, the names its in-flight section shares with the
        // learned entities (vaults, principals); format 15 numbers them across both.
        #expect(await stopped.detector.exportState(format: 16).count > states.older.count)
        try await Self.expectSameRun(restoredFrom: states, after: stopped)
    }

    @Test("a version 16 state, saved before burst days and stamps were written smaller, reads back the same and restores to the same run; a burst day takes about two bytes, not five, and a recent stamp one")
    func version16State() async throws {
        let stopped = try await Self.midAttack()
        let states = try await Self.olderFormat(16, of: stopped.detector, readsBackAs: "everything comes back") { _ in
        } patch: { _, _ in
        }
        let current = try BaselineSnapshot.decode(states.current)
        func length(_ value: UInt64) -> Int { max(1, (64 - value.leadingZeroBitCount + 6) / 7) }
        func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
        // Each pair's days: a count and a varint of stamp << 16 | busiest hour each (format 16),
        // against the count of `BurstDays`' bytes and the bytes (17).
        let pairs = current.pairs
        #expect(pairs.contains { $0.burstDays.count > 1 })
        let asVarints = pairs.map { length(UInt64($0.burstDays.count)) + $0.burstDays.map { length(UInt64($0)) }.reduce(0, +) }.reduce(0, +)
        let asHeld = pairs.map { BurstDays($0.burstDays).byteCount }.map { length(UInt64($0)) + $0 }.reduce(0, +)
        #expect(asHeld < asVarints)
        // Each stamp of a range, a named entity or a pair: as it is (16) against 0 for none, else
        // 1 + its zigzagged distance from the state's current day or hour (17).
        func relative(_ value: Int64, from base: Int32, none: Int64) -> Int { value == none ? 1 : length(zigzag(value - Int64(base)) + 1) }
        let named = current.vaultApplications + current.userApplications + current.writtenObjects
        let days = (current.principalRanges + current.vaultRanges).map(\.day) + named.map(\.day) + pairs.flatMap { [$0.changeReadDay, $0.firstSeenDay] }
        let hours = pairs.flatMap { [$0.lastReachedHour, $0.lastDeniedHour, $0.operationsHour] }
        let stampsSaved = days.map { length(UInt64($0)) - relative(Int64($0), from: current.currentDay, none: 0) }.reduce(0, +)
            + hours.map { length(zigzag(Int64($0))) - relative(Int64($0), from: current.currentHour, none: Int64(Int32.min)) }.reduce(0, +)
        #expect(stampsSaved >= days.count + hours.count, "at least a byte a stamp")
        // Against format 17 (format 18 adds the records taken lately at the end of the in-flight section).
        let version17 = await stopped.detector.exportState(format: 17)
        #expect(states.older.count - version17.count == asVarints - asHeld + stampsSaved)
        try await Self.expectSameRun(restoredFrom: states, after: stopped)
    }

    @Test("a pair's burst days or a stamp that are not well formed are refused with a reason, never a crash")
    func damagedBurstDaysAndStamps() throws {
        let days = BurstDays([20_400 << 16 | 12, 20_401 << 16 | 3]).encoded
        #expect(BurstDays.days(decoding: days[...]) == [20_400 << 16 | 12, 20_401 << 16 | 3])
        for damaged in [Array(days.dropLast()), days + [0x80], [0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00], [0x01, 0x00], [0x00, 0x80, 0x80, 0x04]] {
            #expect(BurstDays.days(decoding: damaged[...]) == nil, "\(damaged)")
        }
        // Stamps: one byte each near the bases and for none; a day beyond day 65,535 is refused.
        var writer = StateWriter(capacity: 16)
        writer.measureStamps(fromDay: 20_513, hour: 492_323)
        writer.day(20_512)
        writer.day(0)
        writer.hour(.min)
        writer.hour(492_323)
        writer.unsigned(UInt64(2 * 50_000 + 1))  // day 20,513 + 50,000
        #expect(writer.bytes.count == 4 + 3)
        var reader = StateReader(writer.bytes)
        reader.measureStamps(fromDay: 20_513, hour: 492_323)
        #expect(try reader.day() == 20_512 && reader.day() == 0 && reader.hour() == .min && reader.hour() == 492_323)
        #expect(throws: BaselineStateError.self) { try reader.day() }
    }

    @Test("a damaged or truncated state is refused with a reason, never a crash")
    func damaged() async throws {
        let (_, detector, _, _) = try await Self.midAttack()
        let state = [UInt8](try await detector.exportState())
        for length in [4, 5, 9, 40, state.count / 3, state.count / 2, state.count - 1] {
            #expect(throws: BaselineStateError.self, "truncated to \(length) bytes") {
                _ = try BaselineSnapshot.decode(Data(state.prefix(length)))
            }
        }
        #expect(throws: BaselineStateError.self) { _ = try BaselineSnapshot.decode(Data(state + [0])) }
        var newer = BaselineSnapshot.magic
        newer.append(99)
        #expect(throws: BaselineStateError.self) { _ = try BaselineSnapshot.decode(Data(newer + state.dropFirst(5))) }
        #expect(throws: BaselineStateError.self) { _ = try BaselineSnapshot.decode(Data("{\"version\": 1}".utf8)) }
    }
}
