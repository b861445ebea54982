import ArgumentParser
import Foundation
import VaultWatchCore
import VaultWatchStore

/// `vaultwatch detect PATH…`: the headless detector. Alerts go to stdout as JSON lines;
/// input problems (`file:line: reason`) and, last, a one-line summary go to stderr.
///
/// Without `--follow` the input is read to its end and each alert is printed once, in its
/// final state, ordered by first sighting: the same input gives the same output every time.
/// With `--follow`, an alert is printed when raised and again each time repeats update it
/// (same `id`, higher `count`): consumers upsert by `id`. SIGINT or SIGTERM stops following,
/// flushes and exits 0.
///
/// Without `--follow`, when stderr is a terminal, one progress line (`ReadProgress`) is redrawn
/// a few times a second during the read and erased before the alerts and the summary.
///
/// Stateless unless `--state FILE` (DESIGN.md §6). With it, the run resumes where the previous
/// one on that file stopped: each source from its checkpoint, open alerts keep aggregating, and
/// what is read is saved with the alerts it produced (see `DetectionRecorder`), so that after
/// `kill -9` the next run gives the alerts of one uninterrupted run. Only the alerts this run
/// opened or updated are printed; `vaultwatch alerts` shows them all.
struct DetectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Read audit logs and print alerts as JSON lines (headless).",
        discussion: """
            PATH is a log file (JSON lines, {"records":[…]} envelopes, Log Analytics exports), a \
            directory of …/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json blobs, or - for stdin. Input \
            problems are printed to stderr as file:line: reason, then a summary line. In it:

            late: records further behind the records read before them than the reorder tolerance \
            (10 minutes unless configured): still judged, never dropped; each run of them is reported \
            where it begins and, with its lines and count, where it ends.
            duplicates: records already taken (the same record delivered twice, from any file): \
            counted, not judged again, not late.
            read again: records a run resumed with --state reads again after the state the run \
            before saved (the end of its input decided them): judged again, counted by that run.
            """
    )

    @Argument(help: ArgumentHelp("Log files, blob directories, or - for stdin.", valueName: "path"))
    var paths: [String]

    @Flag(help: "Keep reading appended data and new blobs until interrupted (tail -F).")
    var follow = false

    @Option(help: ArgumentHelp(
        "jsonl (alert JSON), defender (a Defender for Cloud security alert) or ocsf (an OCSF Detection Finding), one per line.",
        valueName: "format"))
    var format: AlertFormat = .jsonl

    @Flag(name: .customLong("no-state"), help: "Keep nothing between runs (the default for detect).")
    var noState = false

    @Option(name: .customLong("state"), help: ArgumentHelp(
        "Resume from and save to this state file (alerts, checkpoints, baselines).", valueName: "file"))
    var statePath: String?

    func validate() throws {
        if noState, statePath != nil { throw ValidationError("--state and --no-state cannot be used together") }
    }

    @OptionGroup var detection: DetectionOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let started = ContinuousClock.now
        var configuration = try detection.detectorConfiguration(environment: environment)
        // A state file keeps evidence's original records for `alerts show`; a one-off run
        // prints the fields it read and skips reading records again.
        let symbols = SymbolTable()
        // The ingestor tells the finder where the lines it reads start (no scan from line 1).
        let records = statePath != nil ? configuration.keepOriginalRecords(symbols: symbols) : nil
        // The file also drives the dashboard: an unknown action in its [keys] is refused here as
        // it is by `watch`, so one configuration file gets one verdict whatever the command.
        _ = try detection.keyMap()
        let batchSize = Ingestor.Configuration().batchSize
        var recorder: DetectionRecorder?
        if let statePath {
            do {
                recorder = try DetectionRecorder(
                    store: AlertStore(path: statePath, access: .detection), batchSize: batchSize, readsToEnd: !follow)
            } catch {
                throw CommandFailure(message: "\(error)")
            }
        }
        let ingestor: Ingestor
        do {
            var reading = Ingestor.Configuration(
                start: .beginning, batchSize: batchSize, checkpoints: recorder?.saved.checkpoints ?? [],
                clock: configuration.clock, streamTime: recorder?.saved.eventClock)
            reading.lineStarts = records
            // Without a state file nobody asks where to resume: no position is kept.
            reading.keepsPositions = recorder != nil
            ingestor = try Ingestor(paths: paths, symbols: symbols, configuration: reading)
        } catch {
            throw CommandFailure(message: error.description)
        }
        let detector: Detector
        do {
            detector = try recorder?.makeDetector(symbols: symbols, configuration: configuration)
                ?? Detector(symbols: symbols, configuration: configuration)
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        let follow = self.follow
        let format = self.format
        let names = configuration.directory

        // Following, each batch's alerts are printed by the loop below before the batch is saved,
        // so a kill between the two prints them again on the resume rather than never.
        let printer = Task { () -> [Alert] in
            var latest: [String: Alert] = [:]
            ThreadPriority.settleCurrentThread()
            for await alert in detector.alerts where !follow { latest[alert.id] = alert }
            return latest.values.sorted { ($0.firstSeen, $0.kind.rawValue, $0.id) < ($1.firstSeen, $1.kind.rawValue, $1.id) }
        }
        func printNow(_ alerts: [Alert]) {
            guard follow, !alerts.isEmpty else { return }
            var lines: [UInt8] = []
            for alert in alerts { format.appendLine(for: alert, names: names, to: &lines) }
            StandardStreams.output(lines)
        }
        let reader = Task { await ingestor.run(mode: follow ? .follow : .readToEnd) }
        let signals = follow ? SignalWatcher(signals: [SIGINT, SIGTERM]) { _ in reader.cancel() } : nil
        // A long read, and a follow for days, frees big buffers: their pages go back to the system.
        let release = Task { await HeapRelease.run() }
        defer { release.cancel() }

        await recorder?.start(detector: detector, ingestor: ingestor)

        // A long read shows where it is, on a terminal only (never in a pipe or a log file).
        let progress = ProgressLine(isTerminal: !follow && isatty(STDERR_FILENO) == 1)
        let drawing = progress.follow(ingestor, since: started)
        defer {
            drawing?.cancel()
            progress.stop()
        }

        // Reports of data that may have been lost while reading, for the summary.
        var dataLossReports = 0
        // Without --follow, every alert's line, formatted while the end's save is written, and
        // where each ends; printed once the save has committed.
        var alerts: [Alert] = []
        var output: [UInt8] = []
        var lineEnds: [Int] = []
        do {
            for await batch in ingestor.batches {
                // The detector runs where this loop resumes: at the process's priority.
                ThreadPriority.settleCurrentThread()
                dataLossReports += batch.lossCount
                try await recorder?.beforeProcessing(batch, by: detector)
                // The batch's problems once its records are taken: a run of late records is
                // reported without the repeats the detector recognised in it (`LateRunRepeats`).
                let taken = await detector.take(batch)
                for problem in taken.problems { progress.print(problem.description) }
                let touched = taken.alerts
                printNow(touched)
                try await recorder?.processed(batch, touched: touched, by: detector)
            }
            await reader.value
            // With a state file, the end's save is written on the recorder's writer thread while
            // this formats the alerts (waitForSaves below): nothing is printed before it commits
            // but, following, the end's alerts, as each batch's are printed before it is saved.
            let released = recorder != nil
                ? try await recorder?.finish(detector, waitingForSave: false) ?? [] : await detector.finish()
            printNow(released)
            alerts = await printer.value
            for alert in alerts {
                format.appendLine(for: alert, names: names, to: &output)
                lineEnds.append(output.count)
            }
            try recorder?.waitForSaves()
        } catch {
            // Loud: what was saved before stays whole; nothing after it is reported as saved.
            reader.cancel()
            throw CommandFailure(message: "\(error)")
        }
        // Saved: the file's close (SQLite's copy of its log into it) runs beside the printing.
        recorder?.closeStore()
        defer { recorder?.waitForClose() }
        // An alert re-raised exactly as the state file holds it (a run over nothing new re-raises
        // what the previous run's end raised) is not printed again: only what this run changed.
        var printedCount = alerts.count
        if let recorder, alerts.contains(where: recorder.isUnchanged) {
            var changed: [UInt8] = []
            var start = 0
            for (alert, end) in zip(alerts, lineEnds) {
                if recorder.isUnchanged(alert) { printedCount -= 1 } else { changed += output[start..<end] }
                start = end
            }
            output = changed
        }
        withExtendedLifetime(signals) {}
        drawing?.cancel()
        progress.stop()

        StandardStreams.output(output)

        // This run's share: a detector restored from --state carries the earlier runs' counters.
        // The summary's counts are this run's, as the dashboard's header counts from its start
        // (README "State"); a resumed run also says what the stream came to with the runs before.
        let whole = await detector.currentCounters
        let restored = await detector.restoredCounters
        let resumed = restored != DetectorCounters()
        // Records the run before read and counted after the state it saved (the end of its input
        // decided them; README "Restarts"): taken again, not this run's own.
        // Those now out of range (a stretch the run before took as right) are this run's verdict,
        // out of range here, and the events of the run before it takes back.
        let readAgain = await detector.readAgainCounters
        let nowOutOfRange = readAgain.outOfRangeRecords
        let readAgainRecords = readAgain.eventsSeen + readAgain.duplicateRecords + nowOutOfRange
        var counters = whole.subtracting(restored).subtracting(readAgain)
        counters.outOfRangeRecords += nowOutOfRange
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // The alerts printed: a run reading again what the last one's end left undecided (README
        // "Clocks") raises alerts the state file holds unchanged, and prints none of them.
        // Following, alerts print as they change, and the count is of the alerts raised.
        let alertCount = follow ? counters.alertsRaised : printedCount
        var summary = "vaultwatch: \(counters.eventsSeen) events, \(counters.malformedRecords) malformed, \(alertCount) alerts"
        summary += " (\(counters.skippedRecords) records skipped; \(counters.challengeRequests) SDK challenge requests, not judged; "
        summary += "\(counters.outOfRangeRecords) out of range; \(counters.lateRecords) late; "
        summary += "\(counters.duplicateRecords) duplicates, not judged"
        // The window of records taken lately is bounded: what it forgot for lack of room is said.
        let forgotten = await detector.identitiesForgottenPastCapacity
        if forgotten > 0 {
            summary += " (\(forgotten) records' identities forgotten past the duplicate window's capacity: a repeat among them counted as an event)"
        }
        summary += "; "
        if readAgainRecords > 0 {
            summary += "\(readAgainRecords) read again, counted by the run before"
            if nowOutOfRange > 0 { summary += " (\(nowOutOfRange) of them as events, now out of range)" }
            summary += "; "
        }
        summary += "\(dataLossReports) possible data \(dataLossReports == 1 ? "loss" : "losses"); "
        summary += "\(paths.count) \(paths.count == 1 ? "source" : "sources"); "
        summary += String(format: "%.2f s)", seconds)
        if let statePath {
            summary += "; state saved to \(statePath)"
            if resumed { summary += " (\(whole.eventsSeen) events, \(whole.duplicateRecords) duplicates with the runs before)" }
        }
        StandardStreams.error(summary)
    }
}
