import Foundation
import Testing
@testable import VaultWatchCore

/// A save takes the detector's state at one point (`Detector.stateCut`) and encodes it later, on
/// the writer's thread, while the detector reads on: what it encodes must be the state of that
/// point, byte for byte, whatever the detector and the symbol table did in between.
@Suite("The detector's state cut, encoded while the detector goes on")
struct DetectorStateCutTests {
    /// The demo tenant decoded as `detect` decodes it (object names and user agents transient)
    /// into a table holding few transient strings, and a detector that has read it up to the
    /// middle of its attack day (`BinaryStateTests.midAttack`): the rest of the tenant makes the
    /// table forget the names its held events and open sequences hold.
    static func midAttack() async throws -> (detector: Detector, symbols: SymbolTable, rest: [AuditEvent]) {
        let input = try RestartBoundaryTests.Input()
        let symbols = SymbolTable(transientCapacity: 2_048)
        let events = DemoDecoding.decode(Array(input.tenant.records), symbols: symbols).events
        let cut = BinaryStateTests.midAttackCut(of: input)
        let detector = Detector(symbols: symbols, configuration: input.configuration)
        var published = RestartBoundaryTests.Published()
        await RestartBoundaryTests.feed(Array(events[..<cut]), to: detector, batchSize: 500, into: &published)
        return (detector, symbols, Array(events[cut...]))
    }

    @Test("a cut encoded after the detector read on gives the bytes exported at that point")
    func encodedLaterIsThePoint() async throws {
        let (detector, symbols, rest) = try await Self.midAttack()
        let atThePoint = try await detector.exportState()
        let progressAtThePoint = try await detector.exportProgress(heldSince: 0)
        let whole = await detector.stateCut(heldSince: nil)
        let apart = await detector.stateCut(heldSince: 0)

        var published = RestartBoundaryTests.Published()
        await RestartBoundaryTests.feed(rest, to: detector, batchSize: 500, into: &published)
        for index in 0..<4_096 { _ = symbols.internTransient("read-on-\(index)") }
        #expect(try await detector.exportState() != atThePoint, "the detector changed after the cut")
        // Without the pin, the cut's names would be those of now: the test can tell.
        let unpinned = whole.baseline.writeState(
            eventClock: whole.eventClock, reorder: whole.reorder, heldInline: true, counters: whole.counters, names: SavedNames(symbols: symbols))
        #expect(Data(unpinned) != atThePoint, "the table forgot names the cut holds")

        let encoded = whole.encoded()
        #expect(encoded.state == atThePoint)
        #expect(encoded.held == nil)
        let encodedApart = apart.encoded()
        #expect(encodedApart.state == progressAtThePoint.state)
        let held = try #require(encodedApart.held), heldAtThePoint = try #require(progressAtThePoint.held)
        #expect(held.added == heldAtThePoint.added && held.added != nil)
        #expect(held.releasedThrough == heldAtThePoint.releasedThrough && held.nextArrival == heldAtThePoint.nextArrival)
        #expect(held.replacesSaved)
        #expect(whole.openAlerts == progressAtThePoint.openAlerts && whole.eventClock == progressAtThePoint.eventClock)
    }

    @Test("a cut encoded on another thread while the detector reads on gives the bytes of its point")
    func encodedBesideTheDetector() async throws {
        let (detector, symbols, rest) = try await Self.midAttack()
        let atThePoint = try await detector.exportState()
        let cut = await detector.stateCut(heldSince: nil)
        let encoding = Task.detached { (0..<3).map { _ in cut.encoded().state } }
        var published = RestartBoundaryTests.Published()
        await RestartBoundaryTests.feed(rest, to: detector, batchSize: 100, into: &published)
        for index in 0..<4_096 { _ = symbols.internTransient("read-on-\(index)") }
        for state in await encoding.value { #expect(state == atThePoint) }
        #expect(cut.encoded().state == atThePoint)
    }
}

/// The transient strings a pin keeps: for its reader only, and only while it lives.
@Suite("Pinned transient strings")
struct TransientPinTests {
    @Test("a pin reads the strings of its point; the table forgets them as before, and keeps none once the pin is gone")
    func pinReadsItsPoint() {
        let symbols = SymbolTable(transientCapacity: 4)
        let gone = symbols.internTransient("gone-before-the-pin")
        for index in 0..<4 { _ = symbols.internTransient("filler-\(index)") }
        let held = symbols.internTransient("held-at-the-pin")
        var pin: TransientPin? = symbols.pinTransient()
        for index in 0..<10 { _ = symbols.internTransient("after-\(index)") }
        let after = symbols.internTransient("after-the-pin")
        #expect(symbols.string(held) == nil, "the table forgets as it would without a pin")
        #expect(!symbols.isLive(held))
        #expect(symbols.string(held, pinnedBy: pin!) == "held-at-the-pin")
        #expect(symbols.string(gone, pinnedBy: pin!) == nil, "forgotten before the pin")
        #expect(symbols.string(after, pinnedBy: pin!) == nil, "not there at the pin")
        #expect(symbols.pinnedTransientCount > 0)
        // A second, later pin: each reads its own point.
        var later: TransientPin? = symbols.pinTransient()
        #expect(symbols.string(after, pinnedBy: later!) == "after-the-pin")
        #expect(symbols.string(held, pinnedBy: later!) == nil)
        pin = nil
        #expect(symbols.string(held) == nil)
        for index in 0..<10 { _ = symbols.internTransient("later-\(index)") }
        #expect(symbols.string(after, pinnedBy: later!) == "after-the-pin")
        later = nil
        #expect(symbols.pinnedTransientCount == 0)
        _ = pin
        _ = later
    }
}
