import Foundation
import VaultWatchCore

// The dashboard's event journal against DESIGN §7's memory budget (≤ 300 MB resident after 10M
// events over 100k principals and 1k vaults, the journal included): `--journal-memory` runs the
// detector's memory workload with the dashboard's model fed the same batches, in a process of
// its own; its reference is `--memory-only`, the detector alone, run just before it in the same
// benchmark run. Also printed: what the journal holds and its own estimate of its bytes.

/// Prints the journal run's figures.
func reportJournal(_ model: DashboardModel, events: Int, residentAfter after: Double, residentBefore before: Double) {
    let usage = model.journalUsage
    let perEvent = usage.events > 0 ? Double(usage.bytes) / Double(usage.events) : 0
    print(String(
        format: "detector + dashboard journal memory: %d events (generated, no JSON): resident %.0f MiB after, %.0f MiB before the run (+%.0f MiB); journal holds %d events (the last %d h, at most %d), %.0f MiB by its own count (%.0f bytes an event, AuditEvent stride %d); budget 300 MB",
        events, after, before, after - before, usage.events, JournalLimits.defaultHours,
        JournalLimits.defaultMaximumEvents, Double(usage.bytes) / 1_048_576, perEvent, MemoryLayout<AuditEvent>.stride))
}

/// Runs `vaultwatch-bench --journal-memory` and prints what it prints.
func measureJournalMemoryInChildProcess() {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    child.arguments = ["--journal-memory"]
    do {
        try child.run()
        child.waitUntilExit()
    } catch {
        print("journal memory: could not start \(CommandLine.arguments[0]) --journal-memory: \(error)")
    }
}
