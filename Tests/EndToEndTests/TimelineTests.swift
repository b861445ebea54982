import Foundation
import Testing
import VaultWatchCore
import VaultWatchStore
import VaultWatchTestSupport

/// Many sources, one timeline (issue 9): `detect` given the demo tenant's two weeks as one
/// file, as one export per vault, as one file per day in shuffled order, or as a blob tree with
/// one vault's records in a file beside it, raises the same alerts; two records with broken
/// clocks in the middle change none of them. Real temporary files, the real binary.
@Suite("One timeline from many sources", .serialized)
struct TimelineTests {
    private static let intelligence = [
        "--tor-exits", "demo-data/tor-exit-addresses.txt", "--threat-intel", "demo-data/threat-intel.txt",
    ]

    /// The demo tenant's blob tree and its records, each with its time, sorted by time.
    private struct Tenant {
        var tree: URL
        var records: [(time: String, vault: String, line: String)]
    }

    /// Generated once for the suite (a few seconds), by the first test to ask; each test works on
    /// its own copies.
    private static let sharedTenant = Task { try await generateTenant() }

    private static func generateTenant() async throws -> Tenant {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-timeline")
        let tree = directory.appendingPathComponent("tree")
        let result = try await CommandRunner.run(["demo", "generate", "--out", tree.path])
        #expect(result.status == 0, "demo generate failed: \(result.stderr)")
        var records: [(time: String, vault: String, line: String)] = []
        let files = FileManager.default.enumerator(at: tree, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.lastPathComponent == "PT1H.json" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for line in text.split(separator: "\n") where !line.isEmpty {
                let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let time = try #require(object["time"] as? String)
                let resource = try #require(object["resourceId"] as? String)
                records.append((time, String(resource.split(separator: "/").last ?? "").lowercased(), String(line)))
            }
        }
        records.sort { $0.time < $1.time }
        return Tenant(tree: tree, records: records)
    }

    private static func write(_ lines: some Sequence<String>, to url: URL) throws {
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: url)
    }

    /// A successful `SecretGet` by one caller on `vault`, `minute` minutes after `start` (stamped
    /// `ahead` hours later: a clock set ahead), of one of five secrets by the minute.
    /// The ledger of the tests on what the end of the input decides: KV-LEDGER's records 09:00 to
    /// 12:00 in order, a stretch at 15:00, its 13:00 blob (13:06 to 13:40) appended after that
    /// stretch, then 16:00 to 17:50.
    private static func ledgerWithABlobAppendedLate() throws -> (inOrder: [String], stretch: [String], blob: [String], after: [String]) {
        let start = try #require(ISO8601DateFormatter().date(from: "2026-02-16T09:00:00Z"))
        func record(_ minute: Int) -> String { secretGet("KV-LEDGER", start, minute: minute) }
        return (stride(from: 0, through: 180, by: 10).map(record), [360, 362, 365].map(record),
            [246, 260, 280].map(record), stride(from: 420, to: 540, by: 10).map(record))
    }

    private static func secretGet(_ vault: String, _ start: Date, minute: Int, ahead: Int = 0) -> String {
        let time = ISO8601DateFormatter().string(from: start.addingTimeInterval(Double(minute * 60 + ahead * 3_600)))
        return """
            {"time":"\(time)","resourceId":"/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/\(vault)",\
            "operationName":"SecretGet","category":"AuditEvent","resultType":"Success","resultSignature":"OK",\
            "callerIpAddress":"10.0.0.5","identity":{"claim":{"oid":"11111111-0000-4000-8000-000000000001"}},\
            "properties":{"id":"https://\(vault.lowercased()).vault.azure.net/secrets/s\(minute % 5)","httpStatusCode":200}}
            """
    }

    /// The alerts `detect` prints for `paths`, reduced to what must not depend on how the input
    /// was cut (evidence names other files and lines), and the summary line.
    private static func detect(_ paths: [String]) async throws -> (alerts: [String], summary: String, stderr: [String]) {
        let result = try await CommandRunner.run(["detect"] + paths + intelligence)
        #expect(result.status == 0, "detect failed: \(result.stderr)")
        let alerts = try result.stdoutLines.map { line in
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let fields = ["id", "kind", "vault", "principalId", "count", "firstSeen", "lastSeen"]
            return fields.map { "\(object[$0] ?? "null")" }.joined(separator: " ")
        }
        return (alerts.sorted(), result.stderrLines.last ?? "", result.stderrLines)
    }

    @Test func perVaultExportsPerDayFilesInAnyOrderAndATreeBesideAFileGiveTheAlertsOfOneFile() async throws {
        var tenant = try await Self.sharedTenant.value
        let directory = try TestPaths.temporaryDirectory("vaultwatch-timeline-cuts")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tree = directory.appendingPathComponent("tree")
        try FileManager.default.copyItem(at: tenant.tree, to: tree)
        tenant.tree = tree

        let whole = directory.appendingPathComponent("whole.jsonl")
        try Self.write(tenant.records.map(\.line), to: whole)
        let reference = try await Self.detect([whole.path])
        // The attack day's stories, the many-vaults ones among them.
        #expect(reference.alerts.count > 20)
        #expect(reference.alerts.contains { $0.contains("KV_AccountVolumeAnomaly") })
        #expect(reference.alerts.contains { $0.contains("KV_AccountVolumeAccessDeniedAnomaly") })
        #expect(reference.summary.contains("0 late"), "\(reference.summary)")

        // One export per vault, all covering the same two weeks.
        var vaultFiles: [String] = []
        for vault in Set(tenant.records.map(\.vault)).sorted() {
            let url = directory.appendingPathComponent("export-\(vault).jsonl")
            try Self.write(tenant.records.filter { $0.vault == vault }.map(\.line), to: url)
            vaultFiles.append(url.path)
        }
        #expect(vaultFiles.count > 5)
        let perVault = try await Self.detect(vaultFiles.reversed())
        #expect(perVault.alerts == reference.alerts)
        #expect(perVault.summary.contains("0 late"), "\(perVault.summary)")

        // One file per day, given in an order other than time order.
        var dayFiles: [String] = []
        for day in Set(tenant.records.map { String($0.time.prefix(10)) }).sorted() {
            let url = directory.appendingPathComponent("day-\(day).jsonl")
            try Self.write(tenant.records.filter { $0.time.hasPrefix(day) }.map(\.line), to: url)
            dayFiles.append(url.path)
        }
        // A fixed permutation (7 is prime to the 16 days): 1, 8, 15, 6, 13, …
        let shuffled = dayFiles.indices.sorted { ($0 * 7) % dayFiles.count < ($1 * 7) % dayFiles.count }.map { dayFiles[$0] }
        #expect(shuffled != dayFiles)
        let perDay = try await Self.detect(shuffled)
        #expect(perDay.alerts == reference.alerts)
        #expect(perDay.summary.contains("0 late"), "\(perDay.summary)")

        // A blob tree without one vault, and that vault's export beside it.
        let moved = try #require(tenant.records.first?.vault)
        let vaultFolders = try FileManager.default.subpathsOfDirectory(atPath: tenant.tree.path)
            .filter { $0.hasSuffix("/VAULTS/\(moved.uppercased())") }
        #expect(vaultFolders.count == 1)
        for folder in vaultFolders { try FileManager.default.removeItem(at: tenant.tree.appendingPathComponent(folder)) }
        let export = directory.appendingPathComponent("export-\(moved).jsonl")
        let mixed = try await Self.detect([export.path, tenant.tree.path])
        #expect(mixed.alerts == reference.alerts)
    }

    @Test func twoRecordsWithBrokenClocksChangeNoAlert() async throws {
        let tenant = try await Self.sharedTenant.value
        let directory = try TestPaths.temporaryDirectory("vaultwatch-timeline-clocks")
        defer { try? FileManager.default.removeItem(at: directory) }
        let whole = directory.appendingPathComponent("whole.jsonl")
        try Self.write(tenant.records.map(\.line), to: whole)
        let reference = try await Self.detect([whole.path])

        // The same two weeks with a record from 2099 and one from 1970 in the middle: copies
        // of a real record of a busy vault with only the year changed.
        var lines = tenant.records.map(\.line)
        let middle = lines.count / 2
        let template = lines[middle]
        let year = String(tenant.records[middle].time.prefix(4))
        lines.insert(template.replacingOccurrences(of: "\"time\": \"\(year)", with: "\"time\": \"2099")
            .replacingOccurrences(of: "\"time\":\"\(year)", with: "\"time\":\"2099"), at: middle)
        let ancient = middle + lines.count / 4
        lines.insert(template.replacingOccurrences(of: "\"time\": \"\(year)", with: "\"time\": \"1970")
            .replacingOccurrences(of: "\"time\":\"\(year)", with: "\"time\":\"1970"), at: ancient)
        #expect(lines.filter { $0.contains("2099-") }.count == 1)
        let broken = directory.appendingPathComponent("broken.jsonl")
        try Self.write(lines, to: broken)

        let result = try await Self.detect([broken.path])
        #expect(result.alerts == reference.alerts)
        let reports = result.stderr.filter { $0.contains("out of range") && !$0.hasPrefix("vaultwatch:") }
        #expect(reports.count == 2, "\(reports)")
        #expect(reports.contains { $0.hasPrefix("\(broken.path):\(middle + 1): time 2099-") })
        #expect(reports.contains { $0.hasPrefix("\(broken.path):\(ancient + 1): time 1970-") })
        #expect(result.summary.contains("2 out of range"), "\(result.summary)")
    }

    /// A run without `--follow` whose input ends right after a step forward of hours cannot tell
    /// a quiet spell from a clock set ahead: it takes the step as right for its alerts and says
    /// so, but saves the state from before the step; the next run, reading on from the state
    /// file, reads the stretch again with the records after it and decides as the one run over
    /// the whole log does: the stretch out of range, nothing late, the same counts. Before, the
    /// next run went on from the stretch taken as right: its 20 records judged, the 60 after the
    /// step back late (it said why), where one run has them out of range and in order (found
    /// held out: the ninth sweep's `RESTART=1`, random seed 266, a run cut inside a vault's hour
    /// that one run read as a stretch: 10 more records judged over the two runs). The second run
    /// says that the stretch it puts out of range is what the first counted as events (read
    /// again), so that the runs' summaries add up to one run's: events less those taken back,
    /// 140 + 60 - 20 = 180, and 20 out of range (before, its summary said nothing of them: 200
    /// events over the two runs).
    @Test func aRunEndingInsideAStretchSaysItTookItAsRightAndTheNextRunDecidesAsOneRun() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-untold-step")
        let log = directory.appendingPathComponent("orders.jsonl")
        let state = directory.appendingPathComponent("state.db")
        let start = try #require(ISO8601DateFormatter().date(from: "2026-02-16T20:00:00Z"))
        func record(_ minute: Int, ahead: Int = 0) -> String { Self.secretGet("KV-ORDERS", start, minute: minute, ahead: ahead) }
        // Two hours in order, then 20 records stamped 3 hours ahead (lines 121 to 140), then the
        // source back on time (lines 141 to 200).
        let inOrder = (0..<120).map { record($0) }
        let stretch = (120..<140).map { record($0, ahead: 3) }
        let after = (140..<200).map { record($0) }

        // One run over the whole log: the stretch is out of range, nothing late.
        try Self.write(inOrder + stretch + after, to: log)
        let whole = try await CommandRunner.run(["detect", log.path, "--no-state"])
        #expect(whole.stderrLines.contains { $0.hasPrefix("\(log.path):121: ") && $0.contains("out of range") }, "\(whole.stderr)")
        #expect(!whole.stderrLines.contains { $0.contains("behind the latest record read") }, "\(whole.stderr)")
        #expect(whole.stderrLines.contains { $0.hasPrefix("vaultwatch: 180 events") && $0.contains(" 20 out of range; 0 late;") },
            "\(whole.stderr)")

        // The log as it was when a first run read it, ending inside the stretch.
        try Self.write(inOrder + stretch, to: log)
        let first = try await CommandRunner.run(["detect", log.path, "--state", state.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderrLines.contains {
            $0.hasPrefix("\(log.path):121: ") && $0.contains("ahead of the record before it") && $0.contains("taken as right")
                && $0.contains("a run reading on from a state file reads these again")
        }, "\(first.stderr)")
        #expect(first.stderrLines.contains { $0.hasPrefix("vaultwatch: 140 events") && $0.contains(" 0 out of range;") }, "\(first.stderr)")
        // The log grows; the next run reads on from the state file, from before the stretch: the
        // 20 records of the stretch out of range, reported at their lines, the 60 after it in
        // order. Over the two runs, the one run's 180 events and 20 out of range.
        try Self.write(inOrder + stretch + after, to: log)
        let second = try await CommandRunner.run(["detect", log.path, "--state", state.path])
        #expect(second.status == 0, "\(second.stderr)")
        let outOfRange = second.stderrLines.filter { $0.hasPrefix("\(log.path):") && $0.contains("out of range (one of a stretch") }
        #expect(outOfRange.count == 20 && outOfRange.first?.hasPrefix("\(log.path):121: ") == true, "\(second.stderr)")
        #expect(!second.stderrLines.contains { $0.contains("behind the latest record read") }, "\(second.stderr)")
        #expect(second.stderrLines.contains {
            $0.hasPrefix("vaultwatch: 60 events") && $0.contains(" 20 out of range; 0 late;")
                && $0.contains("; 20 read again, counted by the run before (20 of them as events, now out of range);")
        }, "\(second.stderr)")
    }

    /// A position saved again keeps its source's clock. A run over nothing new for a file (a
    /// quiet vault's export beside busy ones) hands on none of its records, and saved the
    /// follower's position bare: the next run judged that file's first records knowing nothing of
    /// where its clock stood. Here kv-orders' log grows, after such a run, by 20 records stamped 3
    /// hours ahead and then the source back on time, beside kv-billing's, on time: one run has the
    /// stretch out of range and nothing late; before, the third run took the stretch as right
    /// (its first record no step from anything known) and reported the records after it late.
    @Test func aPositionSavedAgainByARunOverNothingNewForItsFileKeepsItsSourcesClock() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-saved-again")
        defer { try? FileManager.default.removeItem(at: directory) }
        let orders = directory.appendingPathComponent("kv-orders.jsonl")
        let billing = directory.appendingPathComponent("kv-billing.jsonl")
        let state = directory.appendingPathComponent("state.db")
        let start = try #require(ISO8601DateFormatter().date(from: "2026-02-16T20:00:00Z"))
        func record(_ vault: String, _ minute: Int, ahead: Int = 0) -> String { Self.secretGet(vault, start, minute: minute, ahead: ahead) }
        let ordersInOrder = (0..<120).map { record("KV-ORDERS", $0) }
        let stretch = (120..<140).map { record("KV-ORDERS", $0, ahead: 3) }
        let ordersAfter = (140..<200).map { record("KV-ORDERS", $0) }
        let billingRecords = (0..<200).map { record("KV-BILLING", $0) }

        try Self.write(ordersInOrder + stretch + ordersAfter, to: orders)
        try Self.write(billingRecords, to: billing)
        let whole = try await CommandRunner.run(["detect", orders.path, billing.path, "--no-state"])
        #expect(whole.stderrLines.last?.hasPrefix("vaultwatch: 380 events") == true
            && whole.stderrLines.last?.contains(" 20 out of range; 0 late;") == true, "\(whole.stderr)")

        func run() async throws -> [String] {
            let result = try await CommandRunner.run(["detect", orders.path, billing.path, "--state", state.path])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stderrLines
        }
        func savedClock() throws -> SourceClock? {
            let saved = try AlertStore(path: state.path, access: .readOnly).savedDetection()
            return saved.checkpoints.first { $0.path == orders.path }?.clock
        }
        try Self.write(ordersInOrder, to: orders)
        try Self.write(billingRecords.prefix(120), to: billing)
        #expect(try await run().last?.hasPrefix("vaultwatch: 240 events") == true)
        let clock = try #require(try savedClock())
        // Nothing new in kv-orders: its position saved again, with the same clock.
        try Self.write(billingRecords.prefix(140), to: billing)
        #expect(try await run().last?.hasPrefix("vaultwatch: 20 events") == true)
        #expect(try savedClock() == clock)
        // Read on: as the one run, the stretch out of range and nothing late.
        try Self.write(ordersInOrder + stretch + ordersAfter, to: orders)
        try Self.write(billingRecords, to: billing)
        let third = try await run()
        let outOfRange = third.filter { $0.hasPrefix("\(orders.path):") && $0.contains("out of range (one of a stretch") }
        #expect(outOfRange.count == 20 && outOfRange.first?.hasPrefix("\(orders.path):121: ") == true, "\(third)")
        #expect(!third.contains { $0.contains("behind the latest record read") }, "\(third)")
        #expect(third.last?.hasPrefix("vaultwatch: 120 events") == true && third.last?.contains(" 20 out of range; 0 late;") == true,
            "\(third)")
    }

    /// Exports often come one file per vault and per week or day: a file ends while the others go
    /// on for days. Its last records may follow a quiet spell of an hour or more, which the end of
    /// the file leaves untold (a quiet spell or a clock set ahead?): the run takes the step as
    /// right and saved the state from before it, so that every later run read again everything
    /// after that file's end, in every source, each time (a file that never grows leaves the same
    /// step untold: the fifteenth held-out sweep, one file per vault and per week, a second run over
    /// 767 new records read 47,347 of the 53,536). Once the stream has gone on more than a
    /// stretch's look-ahead (6 hours) past the step, the cut lapses: a run over nothing new reads
    /// nothing, and one reading on reads only what is new.
    @Test func aFileEndingLongBeforeTheOthersDoesNotMakeEachLaterRunReadTheRestAgain() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-period-exports")
        let orders = directory.appendingPathComponent("kv-orders.jsonl")
        let billing = directory.appendingPathComponent("kv-billing.jsonl")
        let state = directory.appendingPathComponent("state.db")
        let start = try #require(ISO8601DateFormatter().date(from: "2026-02-16T00:00:00Z"))
        func record(_ vault: String, _ minute: Int) -> String { Self.secretGet(vault, start, minute: minute) }
        // kv-orders' export: two hours, then two records after two quiet hours, where it ends.
        // kv-billing's: a record every 10 minutes for a day.
        try Self.write((0..<120).map { record("KV-ORDERS", $0) } + [240, 241].map { record("KV-ORDERS", $0) }, to: orders)
        let day = stride(from: 0, to: 1_440, by: 10).map { record("KV-BILLING", $0) }
        try Self.write(day, to: billing)
        func run() async throws -> String {
            let result = try await CommandRunner.run(["detect", orders.path, billing.path, "--state", state.path])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stderrLines.last ?? ""
        }
        #expect(try await run().hasPrefix("vaultwatch: 266 events"))
        let again = try await run()
        #expect(again.hasPrefix("vaultwatch: 0 events"), "\(again)")
        try Self.write(day + stride(from: 1_440, to: 1_500, by: 10).map { record("KV-BILLING", $0) }, to: billing)
        let readingOn = try await run()
        #expect(readingOn.hasPrefix("vaultwatch: 6 events"), "\(readingOn)")
    }

    /// The same across any verdict the end of the input gives, not only a step it leaves untold:
    /// a vault's 13:00 blob appended after its 15:00 one (nothing at 14:00), and the first run's
    /// input ending right after the blob. With no record after it, the end of the input decides:
    /// the blob starts an hour after the source's 12:00, not where a clock corrected would resume,
    /// so it is a blob, late, and the 15:00 records right (until stop 28 the spans decided: 3 out
    /// of range), as one run over the whole log finds when it reads 16:00 next, a later hour. The
    /// first run saves the state from before the 15:00 records all the same, so the second reads
    /// them, the blob and what follows again and decides as the one run (before the cut covered
    /// every verdict the end of the input gives: its 3 out of range stood).
    @Test func aRunEndingRightAfterABlobAppendedLateSavesTheStateBeforeWhatItsEndDecided() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-end-decided")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("ledger.jsonl")
        let state = directory.appendingPathComponent("state.db")
        let (inOrder, stretch, blob, after) = try Self.ledgerWithABlobAppendedLate()

        try Self.write(inOrder + stretch + blob + after, to: log)
        let whole = try await CommandRunner.run(["detect", log.path, "--no-state"])
        #expect(whole.stderrLines.contains { $0.hasPrefix("vaultwatch: 37 events") && $0.contains(" 0 out of range; 3 late;") },
            "\(whole.stderr)")

        try Self.write(inOrder + stretch + blob, to: log)
        let first = try await CommandRunner.run(["detect", log.path, "--state", state.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderrLines.contains { $0.hasPrefix("vaultwatch: 25 events") && $0.contains(" 0 out of range; 3 late;") },
            "\(first.stderr)")
        try Self.write(inOrder + stretch + blob + after, to: log)
        let second = try await CommandRunner.run(["detect", log.path, "--state", state.path])
        #expect(second.status == 0, "\(second.stderr)")
        // From the state before the 15:00 records: they, the blob and what follows, 18 events, as
        // the one run reads them (19 before them, read by the first run: 37). The 6 of them the
        // first run read and counted are read again, not counted (nor reported late) again:
        // 25 + 12 events and 3 + 0 late, the one run's 37 and 3.
        #expect(!second.stderrLines.contains { $0.contains("out of range (") }, "\(second.stderr)")
        #expect(!second.stderrLines.contains { $0.contains("behind the") }, "\(second.stderr)")
        #expect(second.stderrLines.contains {
            $0.hasPrefix("vaultwatch: 12 events") && $0.contains(" 0 out of range; 0 late;") && $0.contains("; 6 read again, counted by the run before;")
                && $0.hasSuffix("(37 events, 0 duplicates with the runs before)")
        }, "\(second.stderr)")
    }

    /// A resumed run does not count as its own the records the run before read and counted after
    /// the state it saved. A run whose input ends on records the end decided (here a vault's
    /// 13:00 blob appended after its 15:00 one, nothing after it) saves the state from before
    /// them, so that the next run decides them as one run over the whole log; it read them all
    /// the same, counted them and reported the blob late. The next run reads them again (the
    /// detector's state is from before them) but says `6 read again`, not 6 events, and does not
    /// report the blob late again: a run over nothing new says 0 events, and the runs' events
    /// and late records add up to the one run's. Before, each run over nothing new said 6 events
    /// and 3 late (the afternoon's held-out copy chains: 130 to 290 records read again a run).
    @Test func aResumedRunDoesNotCountAsItsOwnWhatTheRunBeforeReadAfterItsSave() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-read-again")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("ledger.jsonl")
        let state = directory.appendingPathComponent("state.db")
        let (inOrder, stretch, blob, after) = try Self.ledgerWithABlobAppendedLate()
        func counts(_ lines: [String]) -> (events: Int, late: Int, readAgain: Int) {
            let summary = lines.last ?? ""
            func number(before suffix: String) -> Int {
                guard let range = summary.range(of: suffix) else { return 0 }
                return Int(summary[..<range.lowerBound].split(whereSeparator: { !$0.isNumber }).last ?? "") ?? -1
            }
            return (number(before: " events,"), number(before: " late;"), number(before: " read again"))
        }

        try Self.write(inOrder + stretch + blob + after, to: log)
        let whole = try await CommandRunner.run(["detect", log.path, "--no-state"])
        #expect(counts(whole.stderrLines) == (37, 3, 0), "\(whole.stderr)")

        func run() async throws -> [String] {
            let result = try await CommandRunner.run(["detect", log.path, "--state", state.path])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stderrLines
        }
        try Self.write(inOrder + stretch + blob, to: log)
        let first = try await run()
        #expect(counts(first) == (25, 3, 0), "\(first)")
        // Nothing new: the records after the saved state read again, nothing this run's own.
        let again = try await run()
        #expect(counts(again) == (0, 0, 6), "\(again)")
        #expect(!again.contains { $0.contains("behind the") || $0.contains("taken as right") }, "\(again)")
        #expect(again.last?.hasSuffix("(25 events, 0 duplicates with the runs before)") == true, "\(again)")
        // Read on: only what is new is this run's, and the runs add up to the one run.
        try Self.write(inOrder + stretch + blob + after, to: log)
        let readingOn = try await run()
        #expect(counts(readingOn) == (12, 0, 6), "\(readingOn)")
        #expect(!readingOn.contains { $0.contains("behind the") }, "\(readingOn)")
        #expect(counts(first).events + counts(again).events + counts(readingOn).events == counts(whole.stderrLines).events)
        #expect(counts(first).late + counts(again).late + counts(readingOn).late == counts(whole.stderrLines).late)
        // The 16:00 records step an hour and more forward from the blob: the end of this input
        // decides them too, so the next run over nothing new reads those 12 again, and says nothing
        // of the blob's late run again (the state saved is inside it).
        let last = try await run()
        #expect(counts(last) == (0, 0, 12), "\(last)")
        #expect(!last.contains { $0.contains("behind the") }, "\(last)")
    }

    /// The same for a file read on under another path (its folder moved between the runs): the
    /// checkpoint it takes (`CheckpointAdoption`) carries how far the run before read it.
    @Test func aFileMovedAfterARunCutByItsEndCountsNothingItReadsAgain() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-read-again-moved")
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = directory.appendingPathComponent("export")
        let moved = directory.appendingPathComponent("moved")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let state = directory.appendingPathComponent("state.db")
        let start = try #require(ISO8601DateFormatter().date(from: "2026-02-16T09:00:00Z"))
        func record(_ minute: Int) -> String { Self.secretGet("KV-LEDGER", start, minute: minute) }
        let records = stride(from: 0, through: 180, by: 10).map(record) + [360, 362, 365, 246, 260, 280].map(record)
        try Self.write(records, to: folder.appendingPathComponent("ledger.jsonl"))
        let first = try await CommandRunner.run(["detect", folder.appendingPathComponent("ledger.jsonl").path, "--state", state.path])
        #expect(first.stderrLines.last?.hasPrefix("vaultwatch: 25 events") == true, "\(first.stderr)")
        try FileManager.default.moveItem(at: folder, to: moved)
        let again = try await CommandRunner.run(["detect", moved.appendingPathComponent("ledger.jsonl").path, "--state", state.path])
        #expect(again.stderrLines.contains { $0.contains("resumed from the checkpoint of") && $0.contains("(moved)") }, "\(again.stderr)")
        #expect(again.stderrLines.last?.hasPrefix("vaultwatch: 0 events") == true
            && again.stderrLines.last?.contains(" 0 late;") == true
            && again.stderrLines.last?.contains("; 6 read again, counted by the run before;") == true, "\(again.stderr)")
        #expect(!again.stderrLines.contains { $0.contains("behind the") }, "\(again.stderr)")
    }

    /// How far a source had reached is saved with its clock (`SourceClock.furthestAccepted`): a
    /// vault's 12:00 blob delivered after its 14:00 one takes its clock back to 12:44, and a run
    /// ending right after its 15:00 records saves the state before them (the end of its input
    /// decided the step from 12:44), inside that late run. Read on, the 13:00 blob after the
    /// 15:00 records lies in an hour before the 14:05 the source had reached: late, as one run
    /// finds it, not a reason to put 15:00 out of range (random seed 309's records, stop 27's
    /// held-out sweep; seen failing with the saved clock's reach not restored: 4 out of range).
    @Test func aRunResumedInsideALateRunKeepsHowFarTheSourceHadReached() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-reached")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("ci.jsonl")
        let state = directory.appendingPathComponent("state.db")
        func record(_ time: String) -> String {
            """
            {"time":"2026-02-16T\(time).0000000Z","resourceId":"/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-CI",\
            "operationName":"SecretGet","category":"AuditEvent","resultType":"Success","resultSignature":"OK",\
            "callerIpAddress":"10.0.0.5","identity":{"claim":{"oid":"11111111-0000-4000-8000-000000000001"}},\
            "properties":{"id":"https://kv-ci.vault.azure.net/secrets/s1","httpStatusCode":200}}
            """
        }
        let records = [
            "08:55:53", "08:56:06", "09:40:00", "10:25:00", "11:01:21", "11:35:03", "11:50:48", "11:51:03", "14:04:54", "14:05:07", "12:27:12", "12:30:23",
            "12:44:44", "12:44:55", "15:24:17", "15:28:14", "15:51:50", "15:52:05", "13:01:42", "13:15:52", "13:51:41", "13:51:55",
        ].map(record)
        try Self.write(records, to: log)
        let whole = try await CommandRunner.run(["detect", log.path, "--no-state"])
        #expect(whole.stderrLines.contains { $0.hasPrefix("vaultwatch: 22 events") && $0.contains(" 0 out of range; 8 late;") },
            "\(whole.stderr)")

        try Self.write(records.prefix(16), to: log)
        let first = try await CommandRunner.run(["detect", log.path, "--state", state.path])
        #expect(first.status == 0, "\(first.stderr)")
        try Self.write(records, to: log)
        let second = try await CommandRunner.run(["detect", log.path, "--state", state.path])
        #expect(second.status == 0, "\(second.stderr)")
        // From the state before the 15:00 records: they and the 13:00 blob, 8 events, 4 late; the
        // two 15:00 records the first run read (and counted) are read again, not counted: 6 events.
        #expect(!second.stderrLines.contains { $0.contains("out of range (") }, "\(second.stderr)")
        #expect(second.stderrLines.contains {
            $0.hasPrefix("vaultwatch: 6 events") && $0.contains(" 0 out of range; 4 late;") && $0.contains(" 2 read again,")
        }, "\(second.stderr)")
    }

    /// One place decides what is late, across a restart too: a run resumed from `--state` reads
    /// again what the run before read after the state it saved (`EventBatch.readAgain`), and a
    /// late repeat among those (a record already taken, delivered twice) is left out once, not
    /// twice. The lane reports only the records of the run after those read again (the run
    /// before reported the rest), so the repeats' lines settled out of its end report
    /// (`LateRunRepeats`) are the ones inside it; in every run, the late records the stderr
    /// reports add up to the summary's late count. KV-CI's records of the test above, line 20
    /// the record of line 14 again: the first run ends after it (its end decided 15:24's step,
    /// so it saves the state before line 15 and the next run reads lines 15 to 20 again), the
    /// second reads on to 13:51 (seen failing with `settle` counting every noted repeat up to
    /// the run's last line: the second run's report said 2 records where its summary said 3).
    @Test func aResumedRunsFirstLateRunWithARepeatReadAgainAddsUpToItsSummary() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-late-read-again")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("ci.jsonl")
        let state = directory.appendingPathComponent("state.db")
        let times = [
            "08:55:53", "08:56:06", "09:40:00", "10:25:00", "11:01:21", "11:35:03", "11:50:48", "11:51:03", "14:04:54", "14:05:07", "12:27:12",
            "12:30:23", "12:44:44", "12:44:55", "15:24:17", "15:28:14", "15:51:50", "15:52:05", "13:01:42", "13:15:52", "13:51:41", "13:51:55",
        ]
        // Record `number` (1-based) of `times`: its own correlation id, so that its copy is a repeat.
        func record(_ number: Int) -> String {
            """
            {"time":"2026-02-16T\(times[number - 1]).1234567Z","resourceId":"/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-CI",\
            "operationName":"SecretGet","category":"AuditEvent","resultType":"Success","resultSignature":"OK",\
            "correlationId":"0a1b2c3d-0000-4000-8000-\(String(format: "%012d", number))",\
            "callerIpAddress":"10.0.0.5","identity":{"claim":{"oid":"11111111-0000-4000-8000-000000000001"}},\
            "properties":{"id":"https://kv-ci.vault.azure.net/secrets/s1","httpStatusCode":200}}
            """
        }
        func detect(_ arguments: [String]) async throws -> [String] {
            let result = try await CommandRunner.run(["detect", log.path] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(LateReports.count(result.stderrLines) == LateReports.summaryLate(result.stderrLines), "\(result.stderr)")
            return result.stderrLines
        }
        // The repeat read again (the first run read up to it), or the first record the second
        // run reads beyond the first (the first run ended before it).
        for firstRunEnd in [20, 19] {
            let context = "the first run ending at line \(firstRunEnd)"
            let lines = (1...19).map(record) + [record(14)] + (20...22).map(record)
            try Self.write(lines, to: log)
            let whole = try await detect(["--no-state"])
            #expect(LateReports.summaryLate(whole) == 8, "\(context): \(whole)")
            #expect(whole.contains { $0.hasSuffix("ci.jsonl:19: 4 records (lines 19 to 23) up to 3 hours 7 minutes behind the stream's time, "
                + "still evaluated; not counted: line 20, a record already taken (delivered twice), not judged") }, "\(context): \(whole)")

            try? FileManager.default.removeItem(at: state)
            try Self.write(lines.prefix(firstRunEnd), to: log)
            let first = try await detect(["--state", state.path])
            #expect(LateReports.summaryLate(first) == 5, "\(context): \(first)")
            try Self.write(lines, to: log)
            let second = try await detect(["--state", state.path])
            // 13:15 to 13:51 late (lines 21 to 23); 15:24 to 13:01 read again, and the repeat
            // of line 14 with them (or, not read again, left out of this run's report).
            #expect(LateReports.summaryLate(second) == 3, "\(context): \(second)")
            #expect(second.last?.contains(firstRunEnd == 20 ? " 0 duplicates, not judged; 6 read again," : " 1 duplicates, not judged; 5 read again,")
                == true, "\(context): \(second)")
            #expect(!second.contains { $0.contains("behind the latest record read") }, "\(context): \(second)")
        }
    }
}
