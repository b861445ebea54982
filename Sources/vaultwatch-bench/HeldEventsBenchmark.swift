import Foundation
import VaultWatchCore

/// What one save of the events held for reordering costs on a live stream: 250 events a second
/// of event time (the soak's rate) for 20 minutes, so that the 10-minute reorder tolerance holds
/// some 150,000 events, as a `watch` of such a tenant does. Measured in the same run, one second
/// of events apart each time: exporting the state with every held event inside it (what each
/// save wrote before held events were saved apart) and exporting it with only the held events
/// taken since the previous save (`Detector.exportProgress(heldSince:)`, what the store saves
/// now). Medians of `repetitions` saves, wall clock.
func runHeldEventsBenchmark(repetitions: Int) {
    runBlocking {
        do {
            try await HeldEventsBenchmark(repetitions: repetitions).run()
        } catch {
            print("held events benchmark failed: \(error)")
        }
    }
}

private struct HeldEventsBenchmark {
    let repetitions: Int
    static let rate = 250
    static let seconds = 1_200

    func run() async throws {
        let symbols = SymbolTable()
        let detector = Detector(symbols: symbols)
        let start = EventTime.parse(iso8601: "2026-03-02T09:00:00Z") ?? EventTime(ticks: 0)
        var random = SeededRandom(seed: 7)
        // A tenant's worth of entities (few enough that the learned baselines stay small beside
        // the held events, as in a real tenant at this rate).
        let principals = (0..<300).map { symbols.intern(String(format: "%08x-1111-4000-8000-%012x", $0, $0)) }
        let applications = (0..<30).map { symbols.intern(String(format: "%08x-2222-4000-8000-%012x", $0, $0)) }
        let vaults = (0..<30).map { symbols.intern("kv-\($0)") }
        let operations = ["SecretGet", "SecretGet", "SecretGet", "KeySign", "SecretList", "VaultGet"].map { symbols.intern($0) }
        let source = symbols.intern("/var/log/keyvault/audit.jsonl")
        var line: UInt32 = 0
        func event(at time: EventTime) -> AuditEvent {
            line += 1
            let vault = random.element(of: vaults)
            return AuditEvent(
                time: time, vault: vault, resourceID: vault, operation: random.element(of: operations),
                operationVersion: symbols.intern("7.4"), principalID: random.element(of: principals),
                appID: random.element(of: applications), callerIP: IPAddress(ipv4: 0x0A00_0000 | UInt32(random.below(1 << 12))),
                httpStatusCode: 200, resultSignature: symbols.intern("OK"), outcome: .success, objectKind: .secret,
                objectName: symbols.internTransient("secret-\(random.below(20_000))"),
                clientInfo: symbols.intern("azsdk-net-Security.KeyVault.Secrets/4.5.0"), durationMs: UInt32(random.below(80)),
                location: RecordLocation(source: source, line: line))
        }
        var heldSince: UInt64 = 0
        var whole: [Double] = []
        var apart: [Double] = []
        var wholeBytes = 0
        var apartBytes = 0
        var addedBytes = 0
        var held = 0
        for second in 0..<Self.seconds {
            let base = start + .seconds(Int64(second))
            let batch = (0..<Self.rate).map { event(at: base + .init(ticks: Int64($0) * EventTime.ticksPerSecond / Int64(Self.rate))) }
            await detector.process(EventBatch(events: batch))
            if second == Self.seconds - repetitions - 1 {
                heldSince = try await detector.exportProgress(heldSince: 0).held?.nextArrival ?? 0
            }
            guard second >= Self.seconds - repetitions else { continue }
            let started = ContinuousClock.now
            let inside = try await detector.exportProgress(heldSince: nil)
            let middle = ContinuousClock.now
            let changes = try await detector.exportProgress(heldSince: heldSince)
            let ended = ContinuousClock.now
            whole.append(Self.seconds(middle - started))
            apart.append(Self.seconds(ended - middle))
            wholeBytes = inside.state.count
            apartBytes = changes.state.count
            addedBytes = changes.held?.added?.data.count ?? 0
            heldSince = changes.held?.nextArrival ?? heldSince
            held = await detector.heldEventCount
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        print("")
        print("one save on a live stream: \(Self.rate) events/s for \(Self.seconds / 60) minutes of event time, \(held) events held (median of \(repetitions) saves)")
        print(String(format: "held events inside the state (every save before)   %8.1f ms   %8.2f MiB written", median(whole) * 1000, Double(wholeBytes) / 1_048_576))
        print(String(format: "held events apart, only those new since the last save %6.1f ms   %8.2f MiB state + %.1f KiB of new held events (ratio %.1f×)",
            median(apart) * 1000, Double(apartBytes) / 1_048_576, Double(addedBytes) / 1024, median(whole) / max(median(apart), 1e-9)))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
