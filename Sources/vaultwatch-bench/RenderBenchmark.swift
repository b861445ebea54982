import Foundation
import VaultWatchCore
import VaultWatchTUI

/// Frame time of the dashboard: `render(state:size:)` of a full dashboard (ten vaults with
/// two days of history, sixty alerts, a full activity panel) at 80×24 and 200×60, and, as
/// the reference in the same run, filling a plain array of as many cells. Budget: ≤ 5 ms a
/// frame at 200×60 (DESIGN.md §7). Median CPU time of many frames on one thread.
func runRenderBenchmark(repetitions: Int) {
    let state = RenderBenchmarkWorld.state()
    print("")
    print("render".padding(toLength: 38, withPad: " ", startingAt: 0) + "     ms/frame    vs plain fill of the same cells")
    for size in [ScreenSize(width: 80, height: 24), ScreenSize(width: 200, height: 60)] {
        let frames = 50
        var checksum = 0
        let renderSeconds = medianSeconds(repetitions: max(repetitions, 5)) {
            for _ in 0..<frames { checksum &+= render(state: state, size: size).cells.count }
        } / Double(frames)
        let referenceSeconds = medianSeconds(repetitions: max(repetitions, 5)) {
            for frame in 0..<frames {
                var cells = [UInt32](repeating: 32, count: size.width * size.height)
                for index in cells.indices { cells[index] = UInt32(truncatingIfNeeded: index &+ frame) }
                checksum &+= Int(cells[cells.count / 2])
            }
        } / Double(frames)
        let name = "dashboard frame \(size.width)×\(size.height)"
        let budget = renderSeconds * 1000 <= 5 ? "within 5 ms" : "OVER 5 ms"
        print(String(format: "%@ %12.3f   %.0f× the plain fill (%.4f ms); %@", name.padding(toLength: 38, withPad: " ", startingAt: 0),
                     renderSeconds * 1000, renderSeconds / max(referenceSeconds, 1e-9), referenceSeconds * 1000, budget))
        if checksum == 42 { print("") }  // keeps the work observable
    }
}

/// A busy dashboard, built without a terminal.
enum RenderBenchmarkWorld {
    static func state() -> AppState {
        let symbols = SymbolTable()
        var tracker = ActivityTracker(symbols: symbols)
        let clock = EventTime(year: 2026, month: 3, day: 4, hour: 14, minute: 30)
        let operations = ["SecretGet", "SecretList", "VaultGet", "KeySign", "SecretSet"].map { symbols.intern($0) }
        var batch = EventBatch()
        for vaultIndex in 0..<10 {
            let vault = symbols.intern("kv-benchmark-\(vaultIndex)")
            for minute in stride(from: Int64(48 * 60), to: 0, by: -1) {
                let time = EventTime(ticks: clock.ticks - minute * EventTime.ticksPerMinute)
                for event in 0..<(1 + vaultIndex % 3) {
                    batch.events.append(AuditEvent(
                        time: time, vault: vault, operation: operations[(event + Int(minute)) % operations.count],
                        principalID: symbols.intern("principal-\(event)-\(vaultIndex)"), upn: symbols.intern("user\(event)@contoso.example"),
                        callerIP: IPAddress("203.0.113.\(event + 1)"), httpStatusCode: minute % 17 == 0 ? 403 : 200,
                        outcome: minute % 17 == 0 ? .denied : .success))
                }
            }
        }
        tracker.ingest(batch)
        var alerts: [Alert] = []
        for index in 0..<60 {
            var alert = SampleAlerts.sample(of: AlertKind.allCases[index % AlertKind.allCases.count])
            alert.id += "-\(index)"
            alert.vault = "kv-benchmark-\(index % 10)"
            alert.firstSeen = EventTime(ticks: clock.ticks - Int64(index) * EventTime.ticksPerMinute)
            alerts.append(alert)
        }
        let snapshot = DashboardSnapshot(
            sequence: 1, eventClock: tracker.eventClock, firstEventTime: tracker.firstEventTime, totalEvents: tracker.totalEvents,
            eventsPerSecond: 12_345, vaults: tracker.vaultActivities(), recentEvents: tracker.activityEvents(limit: 64),
            alerts: alerts)
        return AppState(sourceDescription: "benchmark", mode: .replay, speed: 720, snapshot: snapshot)
    }
}
