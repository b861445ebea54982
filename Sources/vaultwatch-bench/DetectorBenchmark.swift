import Foundation
import VaultWatchCore

/// Detector throughput and memory, each beside its reference from the same run:
/// 1. events/s of `Detector.process` with every rule on (Tor and threat-intel lists loaded,
///    baselines armed after 7 of 14 days of event time) on events with realistic habits —
///    each principal keeps to one to three vaults, one application and one /24 — printed
///    beside the decode-only figure;
/// 2. the same on the benchmark's own records decoded once: random principals, vaults and
///    network ranges on every call, so after learning nearly every event raises an alert —
///    the worst case, where alert building (text, evidence) dominates;
/// 3. decode + detect together on those records, as `detect` does on one core;
/// 4. resident memory after 10M events over 100k principals and 1k vaults, generated directly
///    as `AuditEvent` values (no JSON): each principal keeps to one to three vaults, one
///    application and one /24, as real identities do. Target ≤ 300 MB.
/// CPU time of the whole process (the actor runs on the cooperative pool): the work is
/// sequential, so it is one core's time. Medians of `repetitions` runs.
/// `vaultwatch-bench --memory-only`: the memory run alone, in a fresh process, so the
/// resident figure is the detector's and the process's own, not what earlier runs left behind.
/// `vaultwatch-bench --memory-budget`: the same with the dashboard's model beside the detector
/// (`DashboardModel`: the activity tracker and the event journal at its default limits), as
/// `watch` holds them: DESIGN.md §7's budget, ≤ 300 MB with the journal included.
func runDetectorMemoryBenchmark(withDashboard: Bool = false) {
    runBlocking {
        await DetectorBenchmark.memoryRun(withDashboard: withDashboard)
    }
}

func runDetectorBenchmark(log: [UInt8], recordCount: Int, repetitions: Int, decode: Measurement) {
    runBlocking {
        await DetectorBenchmark(log: log, recordCount: recordCount, repetitions: repetitions, decode: decode).run()
    }
}

struct DetectorBenchmark {
    let log: [UInt8]
    let recordCount: Int
    let repetitions: Int
    let decode: Measurement

    static let memoryEvents = 10_000_000
    static let memoryPrincipals = 100_000
    static let memoryVaults = 1_000

    func run() async {
        let configuration = Self.configuration()
        let habitSymbols = SymbolTable()
        var habits = HabitualEvents(symbols: habitSymbols, principals: 20_000, vaults: 200, events: recordCount, days: 14)
        var habitBatches: [EventBatch] = []
        while let batch = habits.nextBatch(size: 8_192) { habitBatches.append(batch) }
        var habitAlerts = 0
        let habitSeconds = await medianProcessSeconds {
            let detector = Detector(symbols: habitSymbols, configuration: configuration)
            let drain = Task { var count = 0; for await _ in detector.alerts { count += 1 }; return count }
            for batch in habitBatches { await detector.process(batch) }
            await detector.finish()
            habitAlerts = await drain.value
        }
        let habitual = Measurement(name: "VaultWatch detect, all rules (habits)", records: recordCount, bytes: log.count, seconds: habitSeconds)
        print(habitual.row(reference: decode))
        print("  (\(recordCount) generated events, 20k principals, 200 vaults, 14 days, learning 7: \(habitAlerts) alert updates)")

        let symbols = SymbolTable()
        let batches = decodedBatches(symbols: symbols)
        var alerts = 0
        let detectSeconds = await medianProcessSeconds {
            let detector = Detector(symbols: symbols, configuration: configuration)
            let drain = Task { for await _ in detector.alerts {} }
            for batch in batches { await detector.process(batch) }
            await detector.finish()
            await drain.value
            alerts = await detector.currentCounters.alertsRaised
        }
        let detect = Measurement(name: "VaultWatch detect, all rules (storm)", records: recordCount, bytes: log.count, seconds: detectSeconds)
        print(detect.row(reference: decode))

        let endToEndSeconds = await medianProcessSeconds {
            let detector = Detector(symbols: symbols, configuration: configuration)
            let drain = Task { for await _ in detector.alerts {} }
            var index = 0
            var chunks: [EventBatch] = []
            ChunkedDecode.decode(log, symbols: symbols) { chunks.append(Self.spread($0, from: &index, of: recordCount)) }
            for batch in chunks { await detector.process(batch) }
            await detector.finish()
            await drain.value
        }
        let endToEnd = Measurement(name: "VaultWatch decode + detect", records: recordCount, bytes: log.count, seconds: endToEndSeconds)
        print(endToEnd.row(reference: decode))
        print("  (storm: \(alerts) alerts raised from \(recordCount) events; × = ratio to decode-only)")

        // Resident memory means nothing after the runs above have grown the heap: measure it
        // in a process of its own, which does only that.
        measureMemoryInChildProcess()
    }

    /// Tor and threat-intel lists with a few thousand entries, so those rules do real look-ups.
    static func configuration() -> DetectorConfiguration {
        let tor = (0..<1_000).map { IPAddress(ipv4: 0xB9DC_0000 | UInt32($0)) }
        let intel = (0..<2_000).compactMap { IPNetwork(address: IPAddress(ipv4: 0xCB00_0000 | UInt32($0) << 8), prefixLength: 24) }
        return DetectorConfiguration(
            torExits: ThreatIntelList(name: "tor", kind: .torExits, format: .addressList, ranges: IPRangeSet(addresses: tor), entryCount: tor.count),
            threatIntel: ThreatIntelList(name: "intel", kind: .threatIntel, format: .addressList, ranges: IPRangeSet(intel), entryCount: intel.count),
            language: .en)
    }

    /// The log decoded once, with times spread evenly over 14 days so the baselines arm.
    func decodedBatches(symbols: SymbolTable) -> [EventBatch] {
        var result: [EventBatch] = []
        var index = 0
        ChunkedDecode.decode(log, symbols: symbols) { result.append(Self.spread($0, from: &index, of: recordCount)) }
        return result
    }

    static func spread(_ batch: EventBatch, from index: inout Int, of count: Int) -> EventBatch {
        var batch = batch
        let start = EventTime(year: 2026, month: 3, day: 2)
        let step = EventTime.ticksPerDay * 14 / Int64(max(1, count))
        for position in batch.events.indices {
            batch.events[position].time = EventTime(ticks: start.ticks + Int64(index) * step)
            index += 1
        }
        return batch
    }

    func medianProcessSeconds(_ body: () async -> Void) async -> Double {
        var samples: [Double] = []
        for _ in 0..<repetitions {
            let start = processCPUSeconds()
            await body()
            samples.append(processCPUSeconds() - start)
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    /// Runs `vaultwatch-bench --memory-only` and prints what it prints.
    func measureMemoryInChildProcess() {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["--memory-only"]
        do {
            try child.run()
            child.waitUntilExit()
        } catch {
            print("detector memory: could not start \(CommandLine.arguments[0]) --memory-only: \(error)")
        }
    }

    /// 10M events over 100k principals and 1k vaults, 30 days of event time; with
    /// `withDashboard`, each batch also goes to a `DashboardModel` (tracker and journal).
    static func memoryRun(withDashboard: Bool = false) async {
        let before = residentMiB()
        let symbols = SymbolTable()
        let detector = Detector(symbols: symbols, configuration: Self.configuration())
        let dashboard = withDashboard ? DashboardModel(symbols: symbols) : nil
        let drain = Task { var count = 0; for await alert in detector.alerts { dashboard?.upsert(alert); count += 1 }; return count }
        var events = HabitualEvents(
            symbols: symbols, principals: Self.memoryPrincipals, vaults: Self.memoryVaults, events: Self.memoryEvents, days: 30)
        let cpuStart = processCPUSeconds()
        while let batch = events.nextBatch(size: 8_192) {
            dashboard?.ingest(batch)
            await detector.process(batch)
        }
        await detector.flush()
        let seconds = processCPUSeconds() - cpuStart
        let after = residentMiB()
        let entities = await detector.baselineEntityCount
        let closedCallers = await detector.closedHourCallerCount
        let raised = await detector.currentCounters.alertsRaised
        await detector.finish()
        _ = await drain.value
        print(String(
            format: "detector memory: %d events, %d principals, %d vaults (generated, no JSON): resident %.0f MiB after, %.0f MiB before the run (+%.0f MiB); %d baseline entities; %d callers of the last 48 closed hours kept for late records; %d alerts; %.0f events/s incl. generation",
            Self.memoryEvents, Self.memoryPrincipals, Self.memoryVaults, after, before, after - before, entities, closedCallers, raised,
            Double(Self.memoryEvents) / seconds))
        if let dashboard {
            let journal = dashboard.journalUsage
            // DESIGN §7's budget is in megabytes (10^6 bytes); `residentMiB` gives mebibytes.
            let afterMB = after * 1_048_576 / 1_000_000
            let budget = afterMB <= 300 ? "within" : "OVER"
            print(String(
                format: "  with the dashboard's model (as watch holds it): the journal holds %d events (~%.0f MiB estimated); %.0f MB resident: %@ the 300 MB budget",
                journal.events, Double(journal.bytes) / 1_048_576, afterMB, budget))
        }
    }
}

/// Events with realistic habits, made directly as `AuditEvent`s: each principal keeps to one
/// to three vaults, one application and one /24; a third are users; 2% of calls are refused;
/// operations are reads, lists, key uses and vault reads. Deterministic. With `secondsApart`,
/// the events come that far apart in event time instead of spread over `days` (a live stream's
/// shape: `DenseMemoryBenchmark`), and each carries an identity digest, as the decoder gives a
/// record with a correlation id (the duplicate window, `RecordIdentities`, keeps it).
struct HabitualEvents {
    private let principals: [Symbol]
    private let upns: [Symbol]
    private let applications: [Symbol]
    private let vaults: [Symbol]
    private let operations: [Symbol]
    private let secrets: [Symbol]
    private let start = EventTime(year: 2026, month: 3, day: 2)
    private let step: Int64
    private let total: Int
    private let withIdentities: Bool
    private var produced = 0
    private var random = SeededRandom(seed: 42)

    init(
        symbols: SymbolTable, principals principalCount: Int, vaults vaultCount: Int, events: Int, days: Int,
        secondsApart: Double? = nil
    ) {
        principals = (0..<principalCount).map {
            symbols.intern(String(format: "%08x-5d1c-4b7e-9f2a-%012llx", $0, UInt64($0) &* 2_654_435_761 & 0xFFFF_FFFF_FFFF))
        }
        upns = (0..<principalCount).map { $0 % 3 == 0 ? symbols.intern("user\($0)@contoso.example") : .none }
        applications = (0..<2_000).map { symbols.intern(String(format: "%08x-aaaa-4b7e-9f2a-000000000000", $0)) }
        vaults = (0..<vaultCount).map { symbols.intern("kv-\($0)-prod") }
        operations = ["SecretGet", "SecretGet", "SecretGet", "SecretList", "KeyGet", "KeySign", "VaultGet"].map { symbols.intern($0) }
        secrets = (0..<40).map { symbols.intern("app-secret-\($0)") }
        step = secondsApart.map { Int64($0 * 10_000_000) } ?? EventTime.ticksPerDay * Int64(days) / Int64(max(1, events))
        total = events
        withIdentities = secondsApart != nil
    }

    private mutating func next() -> UInt64 { random.next() }

    mutating func nextBatch(size: Int) -> EventBatch? {
        guard produced < total else { return nil }
        var batch = EventBatch()
        batch.events.reserveCapacity(size)
        while produced < total, batch.events.count < size {
            let principal = Int(next() % UInt64(principals.count))
            let home = principal &* 7919 % vaults.count
            let vault = (home + Int(next() % UInt64(1 + principal % 3))) % vaults.count
            let status: UInt16 = next() % 50 == 0 ? 403 : 200
            batch.events.append(
                AuditEvent(
                    time: EventTime(ticks: start.ticks + Int64(produced) * step), vault: vaults[vault],
                    operation: operations[Int(next() % UInt64(operations.count))], principalID: principals[principal],
                    upn: upns[principal], appID: applications[principal % applications.count],
                    callerIP: IPAddress(ipv4: 0x1400_0000 &+ UInt32(principal) << 8 | UInt32(next() % 256)),
                    httpStatusCode: status, outcome: Outcome(httpStatusCode: Int(status)), objectKind: .secret,
                    objectName: secrets[Int(next() % UInt64(secrets.count))], identity: withIdentities ? next() | 1 : 0))
            produced += 1
        }
        return batch
    }
}

func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
