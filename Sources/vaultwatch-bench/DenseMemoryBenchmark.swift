import Foundation
import VaultWatchCore

/// `vaultwatch-bench --memory-dense [--records N, before it]`: resident memory of a live `watch`'s
/// work on a stream dense in time, beside the same run without giving freed pages back.
///
/// `--memory-budget`'s 10M events spread over 30 days carry no identity digest, so the duplicate
/// window (`RecordIdentities`) stays empty there. A live tenant writing 400 records a second keeps
/// every record of the last hours in that window, and a soak of `watch` (docs/reliability.md)
/// climbed past the budget's figure. This mode runs N events (default 2.5M) 2.5 ms apart (400 a
/// second of event time: the soak's shape), each with an identity digest, 20k principals over 200
/// vaults with habits, through the detector and the dashboard's model (tracker and journal, as
/// `watch` holds them), with a save's export of the detector every four batches (as `watch
/// --state` exports: `Detector.exportProgress`, what its rows lack). Each run is a process of its
/// own (resident memory means nothing after another run grew the heap): one with `HeapRelease`
/// running as `watch` runs it, the reference without. Printed: peak (VmHWM) and end resident
/// memory, the heap's bytes in use and free at the end, beside DESIGN §7's 300 MB budget.
func runDenseMemoryBenchmark(records: Int) {
    print("dense stream: \(records) events 2.5 ms apart (\(String(format: "%.1f", Double(records) / 400 / 3600)) hours of event time), identities, 20k principals, 200 vaults, detector + dashboard model + a save's export every 4 batches")
    fflush(nil)  // the line above before the children's
    for mode in ["release", "keep"] {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["--memory-dense-run", mode, String(records)]
        do {
            try child.run()
            child.waitUntilExit()
        } catch {
            print("dense stream: could not start \(CommandLine.arguments[0]) --memory-dense-run: \(error)")
        }
    }
}

/// One run of `runDenseMemoryBenchmark`, in this process: `releasing` runs `HeapRelease` beside it.
func runDenseMemoryRun(records: Int, releasing: Bool) {
    runBlocking {
        await DenseMemoryRun(records: records, releasing: releasing).run()
    }
}

private struct DenseMemoryRun {
    let records: Int
    let releasing: Bool

    func run() async {
        let symbols = SymbolTable()
        let detector = Detector(symbols: symbols, configuration: DetectorBenchmark.configuration())
        let dashboard = DashboardModel(symbols: symbols)
        let drain = Task { for await alert in detector.alerts { dashboard.upsert(alert) } }
        let release = releasing ? Task { await HeapRelease.run() } : nil
        var events = HabitualEvents(symbols: symbols, principals: 20_000, vaults: 200, events: records, days: 1, secondsApart: 0.0025)
        var heldSince: UInt64 = 0
        var savedIdentityHours: [Int32: [Int]] = [:]
        var batches = 0
        var saves = 0
        var repeats = 0
        let cpuStart = processCPUSeconds()
        while let batch = events.nextBatch(size: 8_192) {
            let taken = await detector.take(batch)
            dashboard.ingest(batch, repeats: taken.repeats)
            repeats += taken.repeats.count
            batches += 1
            if batches % 4 == 0, let progress = try? await detector.exportProgress(heldSince: heldSince, savedIdentityHours: savedIdentityHours) {
                if let held = progress.held { heldSince = held.nextArrival }
                if let identities = progress.identities { savedIdentityHours = identities.layout }
                saves += 1
            }
        }
        let seconds = processCPUSeconds() - cpuStart
        // What a run that goes on holds: measured before the detector finishes and lets go.
        let peak = peakResidentMiB()
        let end = residentMiB()
        let heap = HeapRelease.usage
        let forgotten = await detector.identitiesForgottenPastCapacity
        release?.cancel()
        await detector.finish()
        await drain.value
        let toMB = { (mebibytes: Double) in mebibytes * 1_048_576 / 1_000_000 }
        let budget = toMB(peak) <= 300 ? "within" : "OVER"
        let heapText = heap.map {
            String(format: "heap in use %.0f MiB, free in the arenas %.0f MiB, mapped alone %.0f MiB", Double($0.inUseBytes) / 1_048_576,
                   Double($0.freeBytes) / 1_048_576, Double($0.mappedBytes) / 1_048_576)
        } ?? "heap figures unknown"
        print(String(
            format: "  %@: peak resident %.0f MB (%@ the 300 MB budget), %.0f MB at the end; %@; %d saves' exports, %d repeats, %d identities forgotten past the window's capacity; %.0f events/s incl. generation",
            releasing ? "freed pages given back (HeapRelease, as watch runs)" : "reference, freed pages kept (no HeapRelease)",
            toMB(peak), budget, toMB(end), heapText, saves, repeats, forgotten, Double(records) / seconds))
    }
}
