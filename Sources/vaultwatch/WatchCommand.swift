import ArgumentParser
import Foundation
import VaultWatchCore
import VaultWatchStore
import VaultWatchTUI

/// `vaultwatch watch PATH…`: the dashboard on live files, blob directories or stdin (`-`,
/// keys then come from the terminal), following appends and new blobs (tail -F).
///
/// Keeps its state (DESIGN.md §6) in the default state file, `--state FILE`, or nowhere with
/// `--no-state`: a restart loads the baselines (no learning again), resumes each source at its
/// checkpoint and keeps open alerts aggregating, saved by a `DetectionRecorder` as in
/// `detect --state`; the alerts already stored are listed again, and `d` / `r` in the alert
/// detail are written to the store. A second detector on the same file is refused.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch live audit logs in the dashboard (files, blob directories, or - for stdin).",
        discussion: """
            Follows files as they grow (tail -F) and directories as blobs appear. By default only \
            what is written from now on is read; --from-start reads what the files already hold \
            first. A source with a checkpoint in the state file resumes there. \
            `some-consumer | vaultwatch watch -` reads records from stdin and keys from the \
            terminal. Without a terminal, use `vaultwatch detect --follow`.
            """
    )

    @Argument(help: ArgumentHelp("Log files, blob directories, or - for stdin.", valueName: "path"))
    var paths: [String]

    @Flag(name: .customLong("from-start"), help: "Read what the files already hold before following them.")
    var fromStart = false

    @OptionGroup var state: WatchStateOptions

    @OptionGroup var dashboard: DashboardOptions

    @OptionGroup var detection: DetectionOptions

    func run() async throws {
        try DashboardSession.requireTerminal(command: "vaultwatch watch")
        let environment = ProcessInfo.processInfo.environment
        var configuration = try detection.detectorConfiguration(environment: environment)
        let keyMap = try detection.keyMap()
        let symbols = SymbolTable()
        // The analyst's `y` and the state file show evidence as the log wrote it; the ingestor
        // tells the finder where the lines it reads start (no scan from line 1).
        let records = configuration.keepOriginalRecords(symbols: symbols)
        let batchSize = Ingestor.Configuration().batchSize
        let model = DashboardModel(symbols: symbols, learningDays: configuration.learningDays, journalLimits: configuration.journal)

        var recorder: DetectionRecorder?
        var initialStatuses: [String: AlertStatus] = [:]
        if let statePath = state.path(environment: environment) {
            do {
                let store = try AlertStore(path: statePath, access: .detection)
                recorder = try DetectionRecorder(store: store, batchSize: batchSize)
                for alert in try store.alerts() {
                    model.upsert(alert)
                    if alert.status != .active { initialStatuses[alert.id] = alert.status }
                }
            } catch {
                throw CommandFailure(message: "\(error)")
            }
        }
        let ingestor: Ingestor
        do {
            var reading = Ingestor.Configuration(
                start: fromStart ? .beginning : .end, batchSize: batchSize,
                checkpoints: recorder?.saved.checkpoints ?? [], clock: configuration.clock, streamTime: recorder?.saved.eventClock)
            reading.lineStarts = records
            // The dashboard's thread draws at the process's priority, ingestion below it.
            reading.runsAtLowerPriority = true
            // Without a state file (`--no-state`) nobody asks where to resume: no position is kept.
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
        // The header's counts are this run's; what the state's runs before took is said beside them.
        model.noteRunsBefore(detector.runsBefore)
        var recording: DashboardStateRecording?
        var statusSink: AlertStoreStatusSink?
        if var recorder {
            await recorder.start(detector: detector, ingestor: ingestor)
            recording = DashboardStateRecording(recorder: recorder, detector: detector)
            statusSink = AlertStoreStatusSink(store: recorder.store)
        }

        var session = DashboardSession(
            sourceDescription: paths.map { $0 == "-" ? "stdin" : $0 }.joined(separator: ", "), mode: .live,
            ingestor: ingestor, readMode: .follow, detector: detector, model: model, options: dashboard,
            learningDays: configuration.learningDays, statusSink: statusSink)
        session.recording = recording
        session.initialStatuses = initialStatuses
        session.keyMap = keyMap
        session.names = configuration.directory
        session.records = records
        var sessionError: (any Error)?
        do {
            try await session.run()
        } catch {
            sessionError = error
        }
        // After the terminal is restored: every status change written, every failure said,
        // every possible loss of data (shown in the header while running) listed.
        for failure in await statusSink?.finish() ?? [] { StandardStreams.error("vaultwatch: \(failure)") }
        // Inputs resumed from the checkpoint of another path (moved or copied), or read from
        // their start because which one could not be told (`CheckpointAdoption`).
        for note in ingestor.resumedElsewhereNotes { StandardStreams.error(note) }
        let losses = model.dataLosses
        if losses.total > losses.recent.count {
            StandardStreams.error("vaultwatch: \(losses.total - losses.recent.count) earlier possible data losses (the newest follow)")
        }
        for loss in losses.recent { StandardStreams.error(loss) }
        if let failure = recording?.failure { throw CommandFailure(message: "\(failure)") }
        if let sessionError { throw sessionError }
    }
}
