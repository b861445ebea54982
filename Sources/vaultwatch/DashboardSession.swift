import Foundation
import Synchronization
import VaultWatchCore
import VaultWatchTUI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the dashboard for `demo` and `watch`: checks there is a terminal, loads the themes,
/// starts ingestion and the feed, runs the UI on its own thread, and stops everything when
/// the analyst quits or Ctrl-C / SIGTERM arrives (the terminal is restored either way).
struct DashboardSession {
    var sourceDescription: String
    var mode: RunMode
    var ingestor: Ingestor
    var readMode: Ingestor.Mode
    var detector: Detector
    var model: DashboardModel
    var pacer: ReplayPacer?
    var loading: LoadingProgress?
    var historyStart: EventTime?
    var options: DashboardOptions
    /// The detector's learning days, for the header before the first snapshot.
    var learningDays: Int
    var statusSink: (any AlertStatusSink)?
    /// The key table with the config file's `[keys]`: drives the handler, footer and help.
    var keyMap = KeyMap()
    /// Saves the detection's progress (`watch` with a state file); the session waits for its
    /// last save before returning, and stops the dashboard if a save fails.
    var recording: DashboardStateRecording?
    /// Statuses the analyst set earlier (from the state file), kept over the detector's updates.
    var initialStatuses: [String: AlertStatus] = [:]
    /// Display names beside object and app ids (the configuration's `directory`, `--directory`).
    var names: DirectoryNames = .builtIn
    /// Reads an opened event's original record again from its file.
    var records: RecordFinder?

    /// - Throws: `CommandFailure` when there is no terminal or a theme does not load.
    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let themes = try Self.themes(option: options.theme, environment: environment)
        let colorEnabled = !options.noColor && (environment["NO_COLOR"] ?? "").isEmpty
        var state = AppState(
            sourceDescription: sourceDescription, mode: mode, speed: pacer?.control.current.speed ?? 1,
            themeNames: themes.library.themes.map(\.name))
        state.themeIndex = themes.initialIndex
        state.ringsBell = options.bell
        state.loadingProgress = loading?.current.fraction
        state.snapshot.learningDays = learningDays
        state.keyMap = keyMap
        state.statusOverrides = initialStatuses
        state.names = names

        let stop = StopFlag()
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { _ in stop.request() }
        let ingestor = self.ingestor
        let readMode = self.readMode
        let recording = self.recording
        let reader = Task { await ingestor.run(mode: readMode) }
        var configuredFeed = DashboardFeed(
            detector: detector, model: model, pacer: pacer, loading: loading, historyStart: historyStart,
            recorder: recording)
        // The dashboard's thread draws at the process's priority, ingestion below it; ingestion
        // steps aside while a frame is drawn (`FrameGate`), at a boundary every 512 events.
        configuredFeed.beforeEachBatch = { ThreadPriority.settleCurrentThread(belowDashboard: true) }
        configuredFeed.beforeEachRefresh = configuredFeed.beforeEachBatch
        configuredFeed.eventsPerStep = 512
        let feed = configuredFeed
        let feeding = Task { await feed.run(batches: ingestor.batches) }
        let profiles = Task { await feed.followProfiles() }
        defer {
            reader.cancel()
            feeding.cancel()
            profiles.cancel()
        }
        let configuration = DashboardRunLoop.Configuration(
            initialState: state, model: model, themes: themes.library, colorEnabled: colorEnabled,
            replayControl: pacer?.control, statusSink: statusSink, loading: loading, records: records,
            stopRequested: { stop.isRequested || recording?.hasFailed == true })
        var runLoopError: (any Error)?
        do {
            try await DashboardRunLoop.run(configuration)
        } catch {
            runLoopError = error
        }
        if recording != nil {
            // The last save (after the detector releases what it holds) before the process ends.
            reader.cancel()
            feeding.cancel()
            await feeding.value
        }
        if let runLoopError { throw CommandFailure(message: "\(runLoopError)") }
        withExtendedLifetime(signals) {}
    }

    /// Fails with one line pointing to `detect` when there is no terminal to draw on.
    static func requireTerminal(command: String) throws {
        let descriptor = open("/dev/tty", O_RDWR | O_NOCTTY)
        if descriptor >= 0 { close(descriptor) }
        guard isatty(STDOUT_FILENO) == 1, descriptor >= 0 else {
            throw CommandFailure(message: "`\(command)` draws a dashboard and needs a terminal; without one, run `vaultwatch detect PATH…` for alerts as JSON lines")
        }
    }

    /// The themes to cycle and the one to start with, from `--theme NAME|PATH`.
    static func themes(option: String?, environment: [String: String]) throws -> (library: ThemeLibrary, initialIndex: Int) {
        var library: ThemeLibrary
        do {
            if let directory = ThemeLibrary.defaultDirectory(executablePath: CommandLine.arguments[0], environment: environment) {
                library = try ThemeLibrary.load(directory: directory)
            } else {
                library = ThemeLibrary(themes: [])
            }
            guard let option else { return (library, 0) }
            if option.contains("/") || option.hasSuffix(".toml") {
                let theme = try ThemeLibrary.loadFile(option)
                library = ThemeLibrary(themes: [theme] + library.themes.filter { $0.name != theme.name })
                return (library, 0)
            }
        } catch {
            throw CommandFailure(message: "theme \(error)")
        }
        guard let option, let index = library.index(named: option) else {
            let names = library.themes.map(\.name).joined(separator: ", ")
            throw CommandFailure(message: "unknown theme '\(option ?? "")' (available: \(names); or give a TOML file's path)")
        }
        return (library, index)
    }
}

/// Set from a signal handler's queue, read by the UI loop.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func request() { flag.store(true, ordering: .relaxed) }
    var isRequested: Bool { flag.load(ordering: .relaxed) }
}
