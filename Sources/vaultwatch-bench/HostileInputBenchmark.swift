import Foundation
import VaultWatchCore

// Resident memory under hostile input (issue 9, part 4): each case feeds far more than any
// bound and prints the process's resident memory at each quarter, beside a reference measured
// in the same run (the same amount of benign input, or the memory before the case). Flat
// figures across the quarters are the point; run in a process of its own:
// `swift run -c release vaultwatch-bench --hostile-memory`.

func runHostileInputMemoryBenchmark() {
    print("resident memory under hostile input (MiB at 0 / 25 / 50 / 75 / 100 % of the input)")
    longLineWithoutNewline()
    distinctNames(distinct: true)
    distinctNames(distinct: false)
    growingBlobTree()
    alertStorm()
}

private func row(_ name: String, _ samples: [Double], _ note: String) {
    let figures = samples.map { String(format: "%6.1f", $0) }.joined(separator: " ")
    print(name.padding(toLength: 46, withPad: " ", startingAt: 0) + figures + "   " + note)
}

/// A JSON-lines source that stops writing newlines: 1 GiB in 1 MiB reads.
private func longLineWithoutNewline() {
    var samples = [residentMiB()]
    var reader = SourceReader(sourceName: "hostile.jsonl", symbols: SymbolTable())
    var batch = EventBatch()
    Array(RecordBuilderLine.line.utf8).withUnsafeBytes { reader.consume($0, into: &batch) }
    let chunk = [UInt8](repeating: 0x78, count: 1 << 20)
    let total = 1024
    for index in 1...total {
        chunk.withUnsafeBytes { reader.consume($0, into: &batch) }
        if index % (total / 4) == 0 { samples.append(residentMiB()) }
    }
    row("1 GiB line without a newline", samples, "held \(reader.heldByteCount >> 20) MiB, \(batch.malformedCount) malformed; cap \(SourceReader.maximumLineBytes >> 20) MiB")
}

/// Two million records with distinct object names and user agents (or, for the reference, one
/// name and one agent), decoded into a symbol table of the default size.
private func distinctNames(distinct: Bool) {
    let symbols = SymbolTable()
    var reader = SourceReader(sourceName: "names.jsonl", symbols: symbols)
    var samples = [residentMiB()]
    let blocks = 200
    for block in 0..<blocks {
        var text = ""
        for index in 0..<10_000 {
            let number = distinct ? block * 10_000 + index : 0
            text += RecordBuilderLine.line(objectName: "secret-\(number)-\(number &* 2_654_435_761)", userAgent: "agent/\(number) (fuzz)")
        }
        var batch = EventBatch()
        Array(text.utf8).withUnsafeBytes { reader.consume($0, into: &batch) }
        if (block + 1) % (blocks / 4) == 0 { samples.append(residentMiB()) }
    }
    let name = distinct ? "2M distinct object names and user agents" : "2M records, one name (reference)"
    row(name, samples, "symbols: \(symbols.count) permanent, \(symbols.transientCount) transient (cap \(symbols.transientCapacity))")
}

/// A blob tree followed for 60 days (one vault, 1,440 hourly blobs): the walker's list of
/// paths seen, forgetting hours more than a day behind the newest, whose blobs are settled
/// first (read to their end, watched for appends), as `Ingestor.recheckRetiredBlobs` does.
private func growingBlobTree() {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("vaultwatch-bench-tree-\(getpid())")
    defer { try? FileManager.default.removeItem(at: root) }
    var directory = BlobDirectory(root: root.path)
    var samples = [residentMiB()]
    var remembered: [Int] = []
    var held: [BlobDirectory.Blob] = []
    let days = 60
    for day in 0..<days {
        for hour in 0..<24 {
            let date = EventTime(year: 2026, month: 1, day: 1) + .days(Int64(day))
            let text = date.iso8601
            let path = "resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV/y=\(text.prefix(4))/m=\(text.dropFirst(5).prefix(2))/d=\(text.dropFirst(8).prefix(2))/h=\(String(format: "%02d", hour))/m=00/PT1H.json"
            let url = root.appendingPathComponent(path)
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: url.path, contents: Data("{}\n".utf8))
        }
        let (fresh, _) = directory.scanForNewFiles()
        held += fresh
        if let newest = fresh.compactMap({ $0.hour?.hoursSinceEpoch }).max() {
            for blob in held where (blob.hour?.hoursSinceEpoch ?? .max) < newest - 24 {
                directory.settle(FileFollower.Checkpoint(
                    path: blob.path, device: 1, inode: 1, offset: 3, fingerprint: FileFingerprint(hash: 1, length: 3)))
            }
            held.removeAll { ($0.hour?.hoursSinceEpoch ?? .max) < newest - 24 }
            directory.forgetHours(before: newest - 24)
        }
        remembered.append(directory.rememberedCount)
        if (day + 1) % (days / 4) == 0 { samples.append(residentMiB()) }
    }
    row("blob tree followed 60 days (1,440 blobs)", samples, "paths remembered after days 1/30/60: \(remembered[0])/\(remembered[29])/\(remembered[59]), settled \(directory.settledCount)")
}

/// A million alerts raised into the dashboard's list.
private func alertStorm() {
    let model = DashboardModel(symbols: SymbolTable())
    var samples = [residentMiB()]
    let total = 1_000_000
    let start = EventTime(year: 2026, month: 2, day: 17)
    for number in 0..<total {
        let time = start + .seconds(Int64(number))
        model.upsert(Alert(
            id: String(number), kind: .sensitiveOperation, displayName: "Sensitive operation", severity: .low, vault: "kv-\(number % 50)",
            firstSeen: time, lastSeen: time, reasons: ["a reason of some length, as alerts have"], description: "", remediation: ""))
        if number % 100 == 0 { model.publishIfChanged() }
        if (number + 1) % (total / 4) == 0 { samples.append(residentMiB()) }
    }
    row("1M alerts into the dashboard's list", samples, "listed: \(model.alertCount) (limit \(model.alertLimit))")
}

/// Records for the cases above, written by hand (the bench has no test support).
enum RecordBuilderLine {
    static let line = line(objectName: "s1", userAgent: "agent")

    static func line(objectName: String, userAgent: String) -> String {
        "{\"time\":\"2026-02-17T10:00:00.0000000Z\",\"resourceId\":\"/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-BENCH\","
            + "\"operationName\":\"SecretGet\",\"category\":\"AuditEvent\",\"resultType\":\"Success\",\"callerIpAddress\":\"10.0.0.1\","
            + "\"identity\":{\"claim\":{\"oid\":\"11111111-1111-1111-1111-111111111111\",\"appid\":\"22222222-2222-2222-2222-222222222222\"}},"
            + "\"properties\":{\"id\":\"https://kv-bench.vault.azure.net/secrets/\(objectName)\",\"clientInfo\":\"\(userAgent)\",\"httpStatusCode\":200}}\n"
    }
}
