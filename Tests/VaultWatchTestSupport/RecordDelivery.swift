import Foundation
import VaultWatchCore

/// One set of audit records written to disk in the shapes real exports come in, so a test can
/// check that how records are delivered never changes what is detected (metamorphic tests):
/// one file, one file per vault, Azure's hourly blob tree, `{"records":[…]}` envelopes, records
/// dealt to several files and shuffled within a bound.
public enum RecordDelivery {
    /// One record: its time, its vault (lowercase), its resource id and its JSON on one line.
    public struct Record: Sendable {
        public var time: EventTime
        public var vault: String
        public var resourceID: String
        public var line: String

        public init(time: EventTime, vault: String, resourceID: String, line: String) {
            self.time = time
            self.vault = vault
            self.resourceID = resourceID
            self.line = line
        }

        public init(_ record: DemoRecord) {
            self.init(time: record.time, vault: record.vault, resourceID: record.resourceID, line: String(decoding: record.line, as: UTF8.self))
        }
    }

    public enum Shape: Sendable, CustomStringConvertible {
        /// Every record in time order, one JSON line each.
        case oneFile
        /// One JSON-lines file per vault, the files given in reverse name order.
        case filePerVault
        /// `resourceId=/SUBSCRIPTIONS/…/VAULTS/NAME/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json`, one
        /// blob per vault and hour; the tree's root is the one path.
        case blobTree
        /// One file per vault of `{"records":[…]}` envelopes holding 1…`maximumPerEnvelope`
        /// records each (a random number), one envelope a line, or pretty-printed over lines
        /// when `spread`.
        case envelopes(maximumPerEnvelope: Int, spread: Bool)
        /// Each record dealt to one of `files` files at random; within each file, records are
        /// ordered by their time plus a random delay below `within`, so any record comes after
        /// records at most `within` later than itself (a writer that batches and flushes late).
        case dealt(files: Int, within: EventTime.Duration)

        public var description: String {
            switch self {
            case .oneFile: return "one file"
            case .filePerVault: return "one file per vault"
            case .blobTree: return "hourly blob tree"
            case .envelopes(let maximum, let spread): return "envelopes of up to \(maximum) records\(spread ? ", spread over lines" : "")"
            case .dealt(let files, let within): return "dealt to \(files) files, shuffled within \(within.ticks / EventTime.ticksPerSecond) s"
            }
        }
    }

    /// Writes `records` (in time order) in `shape` under `directory` and returns the paths to give
    /// the ingestor, in the order to give them.
    /// - Throws: what writing a file throws.
    public static func write(
        _ records: [Record], as shape: Shape, into directory: URL, random: inout SeededRandom
    ) throws -> [String] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        switch shape {
        case .oneFile:
            let url = directory.appendingPathComponent("all.jsonl")
            try lines(records.map(\.line), to: url)
            return [url.path]
        case .filePerVault:
            var paths: [String] = []
            for (vault, group) in byVault(records) {
                let url = directory.appendingPathComponent("export-\(vault).jsonl")
                try lines(group.map(\.line), to: url)
                paths.append(url.path)
            }
            return paths.reversed()
        case .blobTree:
            let root = directory.appendingPathComponent("insights-logs-auditevent")
            var blobs: [String: [String]] = [:]
            for record in records { blobs[blobPath(record), default: []].append(record.line) }
            for (path, group) in blobs {
                let url = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try lines(group, to: url)
            }
            return [root.path]
        case .envelopes(let maximum, let spread):
            var paths: [String] = []
            for (vault, group) in byVault(records) {
                var text = ""
                var start = 0
                while start < group.count {
                    let end = min(group.count, start + random.number(in: 1...max(1, maximum)))
                    let members = group[start..<end].map(\.line)
                    text += spread
                        ? "{\n  \"records\": [\n    " + members.joined(separator: ",\n    ") + "\n  ]\n}\n"
                        : "{\"records\":[" + members.joined(separator: ",") + "]}\n"
                    start = end
                }
                let url = directory.appendingPathComponent("envelopes-\(vault).json")
                try Data(text.utf8).write(to: url)
                paths.append(url.path)
            }
            return paths
        case .dealt(let files, let within):
            var dealt = [[(key: Int64, line: String)]](repeating: [], count: max(1, files))
            for record in records {
                let delay = within.ticks > 1 ? Int64(random.below(Int(within.ticks - 1))) : 0
                dealt[random.below(dealt.count)].append((record.time.ticks + delay, record.line))
            }
            var paths: [String] = []
            for (index, file) in dealt.enumerated() {
                // A stable sort: records of one time keep their order.
                let ordered = file.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
                let url = directory.appendingPathComponent("part-\(index).jsonl")
                try lines(ordered.map(\.element.line), to: url)
                paths.append(url.path)
            }
            return paths
        }
    }

    /// Azure's storage-export path of the record's blob, relative to the container.
    public static func blobPath(_ record: Record) -> String {
        let parts = record.time.components
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "resourceId=\(record.resourceID.uppercased())/y=\(pad(parts.year, 4))/m=\(pad(parts.month, 2))"
            + "/d=\(pad(parts.day, 2))/h=\(pad(parts.hour, 2))/m=00/PT1H.json"
    }

    /// The records of each vault, in time order, by vault name.
    private static func byVault(_ records: [Record]) -> [(String, [Record])] {
        Dictionary(grouping: records, by: \.vault).sorted { $0.key < $1.key }
    }

    private static func lines(_ lines: [String], to url: URL) throws {
        var text = ""
        text.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + 1 })
        for line in lines {
            text += line
            text += "\n"
        }
        try Data(text.utf8).write(to: url)
    }
}
