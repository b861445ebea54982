import Foundation
import Testing
@testable import VaultWatchCore

/// The detector's state written straight from its baselines (`BehaviourBaseline+SavedState.swift`),
/// the one writer of the format: what it writes reads back as what the detector holds.
@Suite("The state written from the baselines")
struct SavedStateTests {
    @Test("each name is spelled out once in each section, then written by its number; the in-flight section is written alone")
    func eachNameOnce() async throws {
        let (_, detector, _, _) = try await BinaryStateTests.midAttack()
        let state = [UInt8](try await detector.exportState())
        let snapshot = try BaselineSnapshot(binary: state)
        #expect(!snapshot.pairs.isEmpty && !snapshot.addressBlocks.isEmpty && !snapshot.routineDays.isEmpty && !snapshot.writtenObjects.isEmpty)
        let names = try Self.names(in: snapshot)
        #expect(names.count > 100)
        // Format 16: the state ends with the in-flight section as a writer of its own writes it
        // (its names numbered from the first), so the two sections can be written side by side.
        let (baseline, reorder, counters, identities) = await (detector.baseline, detector.reorder, detector.counters, detector.identities)
        let inFlight = baseline.inFlightSection(
            reorder: reorder, heldInline: true, counters: counters, identities: identities, issuedAlertIDs: await detector.issuedAlertIDs)
        #expect(inFlight.count > 1000 && Array(state.suffix(inFlight.count)) == inFlight, "the in-flight section, written alone, ends the state")
        // A name in full is 1, its UTF-8 length, its bytes (`StateWriter.name(utf8:)`). A name
        // spelled out again reads back the same, so only its bytes tell.
        func spelled(in section: ArraySlice<UInt8>) -> [String: Int] {
            var spelled: [String: Int] = [:]
            let bytes = Array(section)
            for offset in bytes.indices where bytes[offset] == 1 {
                var reader = StateReader(bytes, offset: offset + 1)
                guard let length = try? reader.unsigned(), length > 0, let text = try? reader.raw(count: Int(length)) else { continue }
                let name = String(decoding: text, as: UTF8.self)
                if names.contains(name) { spelled[name, default: 0] += 1 }
            }
            return spelled
        }
        let learned = spelled(in: state.prefix(state.count - inFlight.count)), inFlightNames = spelled(in: state.suffix(inFlight.count))
        #expect(Set(learned.keys).union(inFlightNames.keys) == names)
        #expect(learned.filter { $0.value > 1 }.isEmpty && inFlightNames.filter { $0.value > 1 }.isEmpty, "spelled out more than once in a section")
        #expect(!Set(learned.keys).isDisjoint(with: inFlightNames.keys), "names both sections hold, spelled out in each")
    }

    /// Every name `snapshot` holds: its strings, and the keys of its maps keyed by name.
    static func names(in snapshot: BaselineSnapshot) throws -> Set<String> {
        let keyedByName: Set<String> = ["operationLastDay", "operationMix", "operations", "unexplained"]
        var names = Set<String>()
        func collect(_ value: Any) {
            if let text = value as? String, !text.isEmpty { names.insert(text) }
            if let array = value as? [Any] { array.forEach(collect) }
            guard let object = value as? [String: Any] else { return }
            for (key, field) in object {
                if keyedByName.contains(key), let map = field as? [String: Any] { names.formUnion(map.keys) }
                collect(field)
            }
        }
        collect(try JSONSerialization.jsonObject(with: JSONEncoder().encode(snapshot)))
        return names
    }

    @Test("a detector restored from it writes the same learned state again")
    func restoreIsItsInverse() async throws {
        let stopped = try await BinaryStateTests.midAttack()
        let state = try await stopped.detector.exportState()
        let restored = try Detector(
            symbols: RestartBoundaryTests.newProcessSymbols(), configuration: stopped.input.configuration, restoring: state)
        // Two fields swapped by the writer are swapped back by a second save: the two differ.
        let first = Self.canonical(try BaselineSnapshot.decode(state))
        let second = Self.canonical(try BaselineSnapshot.decode(try await restored.exportState()))
        #expect(first.vaults == second.vaults)
        #expect(first.principals == second.principals)
        #expect(first.pairs == second.pairs)
        #expect(first.vaultApplications == second.vaultApplications && first.userApplications == second.userApplications)
        #expect(first.principalRanges == second.principalRanges && first.vaultRanges == second.vaultRanges)
        #expect(first.addressBlocks == second.addressBlocks && first.routineDays == second.routineDays)
        #expect(first.writtenObjects == second.writtenObjects)
        let inFlight = try #require(first.inFlight), again = try #require(second.inFlight)
        #expect(!inFlight.baselines.vaultHours.isEmpty && !inFlight.baselines.pairHours.isEmpty && !inFlight.baselines.lists.isEmpty)
        #expect(inFlight.baselines.closedHours?.isEmpty == false && !inFlight.reorder.pending.isEmpty)
        #expect(inFlight.baselines.vaultHours == again.baselines.vaultHours)
        #expect(inFlight.baselines.pairHours == again.baselines.pairHours)
        #expect(inFlight.baselines.lists == again.baselines.lists && inFlight.baselines.changes == again.baselines.changes)
        #expect(inFlight.baselines.closedHours == again.baselines.closedHours)
        #expect(inFlight.reorder == again.reorder && inFlight.counters == again.counters)
        #expect(first == second)
    }

    @Test("names written by symbol read back as the names, each spelled out once")
    func namesBySymbol() throws {
        let symbols = SymbolTable(transientCapacity: 4)
        let vault = symbols.intern("kv-payments"), principal = symbols.intern("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
        let object = symbols.internTransient("secrets/db-password")
        let names = SavedNames(symbols: symbols)
        // Interned after the names were taken: looked up in the table.
        let later = symbols.intern("kv-later")
        var writer = StateWriter()
        writer.name(principal, in: names)
        writer.name("kv-payments")
        writer.name(vault, in: names)
        writer.name(principal, in: names)
        writer.name(Symbol.none, in: names)
        writer.name(object, in: names)
        writer.name(later, in: names)
        writer.name(vault, in: names)
        writer.name(object, in: names)
        writer.name(later, in: names)
        var reader = StateReader(writer.bytes)
        var read: [String?] = []
        while !reader.isAtEnd { read.append(try reader.name()) }
        #expect(read == [
            "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "kv-payments", "kv-payments", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", nil,
            "secrets/db-password", "kv-later", "kv-payments", "secrets/db-password", "kv-later",
        ])
        let spelled = ["kv-payments", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "secrets/db-password", "kv-later"]
        #expect(writer.bytes.count == spelled.map { $0.utf8.count + 2 }.reduce(0, +) + 6, "each name once in full, then by number")
    }

    /// `snapshot` with its entities, open pair hours and listings in an order of their names,
    /// not of the process's dictionaries.
    static func canonical(_ snapshot: BaselineSnapshot) -> BaselineSnapshot {
        var sorted = snapshot
        sorted.inFlight?.baselines.pairHours.sort { ($0.vault, $0.principal) < ($1.vault, $1.principal) }
        sorted.inFlight?.baselines.lists.sort { ($0.vault, $0.principal) < ($1.vault, $1.principal) }
        sorted.vaults.sort { $0.name < $1.name }
        sorted.principals.sort { $0.id < $1.id }
        sorted.pairs.sort { ($0.vault, $0.principal) < ($1.vault, $1.principal) }
        let named: (BaselineSnapshot.Named, BaselineSnapshot.Named) -> Bool = {
            ($0.first, $0.second, $0.third ?? "") < ($1.first, $1.second, $1.third ?? "")
        }
        sorted.vaultApplications.sort(by: named)
        sorted.userApplications.sort(by: named)
        sorted.writtenObjects.sort(by: named)
        sorted.principalRanges.sort { ($0.owner, $0.range) < ($1.owner, $1.range) }
        sorted.vaultRanges.sort { ($0.owner, $0.range) < ($1.owner, $1.range) }
        sorted.addressBlocks.sort { ($0.principal, $0.block) < ($1.principal, $1.block) }
        sorted.routineDays.sort { ($0.vault, $0.principal, $0.operation) < ($1.vault, $1.principal, $1.operation) }
        return sorted
    }
}
