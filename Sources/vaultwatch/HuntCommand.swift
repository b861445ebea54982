import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import VaultWatchCore
import VaultWatchTUI

/// `vaultwatch hunt PATH…`: the events that match a query, over the same inputs as `detect`
/// (every shape, blob trees, stdin, many files as one timeline) and through the same reader:
/// the query an analyst would write with `jq` or KQL, but aware of both claim styles, every
/// input shape and the outcome trap (`resultType` says Success on a 403).
///
/// Filters combine with AND; commas within one filter mean OR. Matching events go to stdout as
/// JSON lines (the evidence fields of alert JSON), an aligned table, or the original records;
/// input problems and, last, a summary line go to stderr, as `detect` does.
///
/// A record delivered twice is listed once, at its first delivery, as `detect` counts it: the
/// same recognition (`RecordIdentities`, over every record read, before any filter), its repeats
/// counted in the summary (`U duplicates, not listed`). With `--deliveries`, the repeats of the
/// records that match are listed too, where they were read, each marked with its first delivery
/// (`repeatOf`; `FirstDeliveries`), by the same recognition.
struct HuntCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hunt",
        abstract: "Print the events that match filters (AND; comma lists are OR) from audit logs.",
        discussion: """
            PATH is a log file, a blob directory or - for stdin, as for detect. The outcome comes \
            from the HTTP status (resultType says Success even on a 403). --format raw prints the \
            original records (stdin is kept in a private temporary file while the hunt runs). A \
            record delivered twice is listed once, at its first delivery; --deliveries lists its \
            repeats too, each marked with the file and line of its first delivery (repeatOf in \
            jsonl, a column in table; raw prints each delivery's record as written, with no room \
            for a mark: a repeat there is not told from a first delivery).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case jsonl
        case table
        case raw
    }

    @Argument(help: ArgumentHelp("Log files, blob directories, or - for stdin.", valueName: "path"))
    var paths: [String]

    @Option(help: ArgumentHelp("Caller object ids, UPNs or directory names (comma list).", valueName: "oid|upn|name"))
    var principal: String?

    @Option(help: ArgumentHelp("Application ids or directory names (comma list).", valueName: "id|name"))
    var app: String?

    @Option(help: ArgumentHelp("Vault names (comma list).", valueName: "name"))
    var vault: String?

    @Option(help: ArgumentHelp("Caller addresses or CIDR ranges (comma list).", valueName: "address|cidr"))
    var ip: String?

    @Option(help: ArgumentHelp("Operation names such as SecretGet,SecretList (comma list).", valueName: "name"))
    var operation: String?

    @Option(help: ArgumentHelp("success, denied (401/403) or error (other failures) (comma list).", valueName: "outcome"))
    var outcome: String?

    @Option(help: ArgumentHelp("Secret, key or certificate names (comma list).", valueName: "name"))
    var object: String?

    @Option(help: ArgumentHelp("Events at or after: an ISO-8601 date or time, or an age such as 24h or 7d.", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Events before: an ISO-8601 date or time, or an age such as 1h.", valueName: "time"))
    var until: String?

    @Option(help: ArgumentHelp("jsonl (events as JSON lines), table (aligned columns) or raw (the original records).", valueName: "format"))
    var format: Format = .jsonl

    @Flag(help: "List every delivery of a matching record: its repeats too, each marked with its first delivery's file:line (not in raw).")
    var deliveries = false

    @OptionGroup var configurationFile: ConfigurationOption

    @OptionGroup var directory: DirectoryOption

    func run() async throws {
        let started = ContinuousClock.now
        // The configuration as detect reads it: its clock limits judge record times the same
        // way, its directory names callers (and `--directory` goes over it).
        let configuration = try configurationFile.load()
        let names = try directory.names(over: configuration.directory)
        let query = try makeQuery(names: names, now: Date())
        let symbols = SymbolTable()
        // `raw` finds the matching records again in their files after the hunt; stdin is
        // copied to a private temporary file as it is read, so it can be read again too.
        let spool = format == .raw && paths.contains("-") ? try StdinSpool() : nil
        defer { spool?.remove() }
        let readPaths = paths.map { $0 == "-" ? spool?.path ?? "-" : $0 }
        let ingestor: Ingestor
        do {
            // A hunt keeps no state: nobody asks where to resume.
            var reading = Ingestor.Configuration(start: .beginning, clock: configuration.clock)
            reading.keepsPositions = false
            ingestor = try Ingestor(paths: readPaths, symbols: symbols, configuration: reading)
        } catch {
            throw CommandFailure(message: error.description)
        }
        let reader = Task { await ingestor.run(mode: .readToEnd) }
        // A long hunt shows where it is on a terminal, as detect does, but only while its matches
        // go elsewhere (a file, a pipe): matches printed on the screen show the progress themselves.
        let progress = ProgressLine(isTerminal: isatty(STDERR_FILENO) == 1 && isatty(STDOUT_FILENO) != 1)
        let drawing = progress.follow(ingestor, since: started)
        defer {
            drawing?.cancel()
            progress.stop()
        }
        var matcher = HuntMatcher(query: query, symbols: symbols)
        var listing = HuntListing(format: format, symbols: symbols, table: HuntTable(names: names, deliveries: deliveries), marksRepeats: deliveries)
        var eventCount = 0
        var malformed = 0
        var skipped = 0
        var outOfRange = 0
        var matched = 0
        var identities = RecordIdentities()
        var clock = EventTime(ticks: .min)
        var duplicates = 0
        var lateRepeats = LateRunRepeats()
        // `--deliveries`: where the matching records were first read, and how many repeats were listed.
        var firstDeliveries = FirstDeliveries()
        let deliveries = self.deliveries
        var repeatsListed = 0
        for await batch in ingestor.batches {
            ThreadPriority.settleCurrentThread()
            malformed += batch.malformedCount
            skipped += batch.skippedCount
            outOfRange += batch.outOfRangeCount
            var output: [UInt8] = []
            for event in batch.events {
                if identities.isRepeat(event, clock: clock) {
                    duplicates += 1
                    lateRepeats.noteRepeat(
                        event, clock: clock.ticks == .min ? nil : clock, tolerance: configuration.clock.reorderTolerance, symbols: symbols)
                    // Listed when its first delivery matched (filters apply to the record).
                    guard deliveries, let first = firstDeliveries.firstDelivery(of: event) else { continue }
                    repeatsListed += 1
                    listing.list(event, repeatOf: first, to: &output)
                    continue
                }
                if event.time > clock { clock = event.time }
                eventCount += 1
                guard matcher.matches(event) else { continue }
                matched += 1
                if deliveries { firstDeliveries.remember(event, within: identities) }
                listing.list(event, to: &output)
            }
            // The batch's problems once its records are looked up: a run of late records is
            // reported without its repeats, as `detect` reports it (`LateRunRepeats`).
            for problem in lateRepeats.settle(batch.problems) { progress.print(spool?.named(problem.description) ?? problem.description) }
            if !output.isEmpty { StandardStreams.output(output) }
        }
        await reader.value
        drawing?.cancel()
        progress.stop()
        if format == .table { StandardStreams.output(listing.table.finish()) }
        if format == .raw { printRaw(listing.rawMatches, symbols: symbols, spool: spool) }

        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var summary = "vaultwatch: \(eventCount) events, \(malformed) malformed, \(matched) matched"
        let listed = deliveries ? "\(repeatsListed) listed" : "not listed"
        summary += " (\(skipped) records skipped; \(outOfRange) out of range; \(duplicates) duplicates, \(listed); \(paths.count) \(paths.count == 1 ? "source" : "sources"); "
        summary += String(format: "%.2f s)", seconds)
        StandardStreams.error(summary)
    }

    /// The original records of the matches, in the order they matched, read again file by file.
    private func printRaw(_ events: [AuditEvent], symbols: SymbolTable, spool: StdinSpool?) {
        let reader = RawRecordReader(symbols: symbols)
        var indicesBySource: [Symbol: [Int]] = [:]
        for (index, event) in events.enumerated() { indicesBySource[event.location.source, default: []].append(index) }
        var records = [[UInt8]?](repeating: nil, count: events.count)
        for (source, indices) in indicesBySource {
            guard let path = symbols.string(source) else { continue }
            let found = reader.records(for: indices.map { events[$0] }, path: path)
            for (index, record) in zip(indices, found) { records[index] = record }
        }
        var output: [UInt8] = []
        for (event, record) in zip(events, records) {
            if let record {
                output.append(contentsOf: record)
                output.append(UInt8(ascii: "\n"))
            } else {
                let place = symbols.string(event.location.source).map { "\(spool?.named($0) ?? $0):\(event.location.line)" } ?? "?"
                StandardStreams.error("\(place): the original record could not be read again (the file changed, or the record is over 1 MiB)")
            }
            if output.count > 1 << 20 {
                StandardStreams.output(output)
                output.removeAll(keepingCapacity: true)
            }
        }
        StandardStreams.output(output)
    }

    /// The filters as a query: comma lists split, names resolved through the directory, times
    /// and ranges parsed.
    /// - Throws: `CommandFailure` naming the option and the value it cannot use.
    func makeQuery(names: DirectoryNames, now: Date) throws -> HuntQuery {
        func list(_ text: String?) -> [String] {
            (text ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        /// Ids as given; a display name becomes the ids the directory gives it.
        func ids(_ values: [String], option: String, allowsUPN: Bool) throws -> [String] {
            try values.flatMap { value -> [String] in
                if DirectoryFile.isGUID(value) || (allowsUPN && value.contains("@")) { return [value] }
                let found = names.ids(named: value)
                guard !found.isEmpty else {
                    throw CommandFailure(message: "--\(option) \"\(value)\" is not an id\(allowsUPN ? ", a UPN" : "") or a name in the directory (--directory FILE)")
                }
                return found
            }
        }
        func time(_ text: String?, option: String) throws -> EventTime? {
            guard let text else { return nil }
            guard let time = AlertsTimeArgument.parse(text, now: now) else {
                throw CommandFailure(message: "--\(option) must be an ISO-8601 date or date-time, or an age such as 24h or 7d, not \"\(text)\"")
            }
            return time
        }
        var query = HuntQuery()
        query.principals = try ids(list(principal), option: "principal", allowsUPN: true)
        query.applications = try ids(list(app), option: "app", allowsUPN: false)
        query.vaults = list(vault)
        query.operations = list(operation)
        query.objects = list(object)
        query.networks = try list(ip).map { text in
            guard let network = IPNetwork(text) else { throw CommandFailure(message: "--ip \"\(text)\" is not an IP address or CIDR range") }
            return network
        }
        query.outcomes = try list(outcome).map { text in
            guard let value = HuntOutcome(rawValue: text.lowercased()) else {
                throw CommandFailure(message: "--outcome must be success, denied or error, not \"\(text)\"")
            }
            return value
        }
        query.since = try time(since, option: "since")
        query.until = try time(until, option: "until")
        return query
    }
}
