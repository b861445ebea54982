import CNCurses
import Foundation
import VaultWatchCore

/// Runs the dashboard: one dedicated thread owns ncurses and loops over keys, snapshots and
/// frames until the analyst quits or a stop is requested (Ctrl-C, SIGTERM).
///
/// Per turn: wait up to 50 ms for a key (a key press is answered within one frame), take the
/// newest snapshot at most ten times a second, reduce, render the pure `ScreenBuffer` and let
/// the adapter write the changed cells. Ingestion and detection never wait for this thread.
public enum DashboardRunLoop {
    public struct Configuration: Sendable {
        public var initialState: AppState
        public var model: DashboardModel
        public var themes: ThemeLibrary
        public var colorEnabled: Bool
        public var replayControl: ReplayControl?
        public var statusSink: (any AlertStatusSink)?
        public var loading: LoadingProgress?
        /// Reads an opened event's original record again from its file.
        public var records: RecordFinder?
        public var stopRequested: @Sendable () -> Bool

        public init(
            initialState: AppState, model: DashboardModel, themes: ThemeLibrary, colorEnabled: Bool,
            replayControl: ReplayControl? = nil, statusSink: (any AlertStatusSink)? = nil, loading: LoadingProgress? = nil,
            records: RecordFinder? = nil, stopRequested: @escaping @Sendable () -> Bool
        ) {
            self.records = records
            self.initialState = initialState
            self.model = model
            self.themes = themes
            self.colorEnabled = colorEnabled
            self.replayControl = replayControl
            self.statusSink = statusSink
            self.loading = loading
            self.stopRequested = stopRequested
        }
    }

    /// Runs the dashboard on a thread of its own and returns when it ends.
    /// - Throws: `TerminalError` when the terminal cannot be taken.
    public static func run(_ configuration: Configuration) async throws {
        let result: Result<Void, TerminalError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                nameCurrentThread("vaultwatch-ui")
                // At the process's priority (`nice vaultwatch watch`), in short slices, and in the
                // real-time class where allowed: no ingest thread takes the core from a frame.
                // Where not allowed, ingestion steps aside while a frame is drawn (`FrameGate`).
                let isRealTime = ThreadPriority.settleDashboardThread()
                do throws(TerminalError) {
                    try runOnCurrentThread(configuration, frameGate: isRealTime ? nil : .dashboard)
                    continuation.resume(returning: .success(()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            thread.start()
        }
        try result.get()
    }

    /// Gives the calling thread `name` where the system shows it (`top -H`, `perf`,
    /// /proc/PID/task/*/comm). A new thread keeps its creator's name (a pool thread's), and
    /// Foundation's `Thread.name` reaches the system only when set on the current thread after
    /// `start()` has recorded it, a race with the thread's own first lines.
    static func nameCurrentThread(_ name: String) {
        #if os(Linux)
        let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = name.withCString { write(descriptor, $0, strlen($0)) }
        close(descriptor)
        #endif
    }

    /// The loop itself, on the calling thread (which then owns ncurses until it returns).
    /// - Parameter frameGate: closed while each frame is drawn, so that the threads ingesting
    ///   below the dashboard step aside (nil: a real-time thread, which needs no gate).
    static func runOnCurrentThread(_ configuration: Configuration, frameGate: FrameGate? = nil) throws(TerminalError) {
        let terminal = try NCursesTerminal(colorEnabled: configuration.colorEnabled)
        defer { terminal.close() }
        // However the loop ends (a quit, a stop, mid-frame), ingestion is never left held.
        defer { frameGate?.open() }
        var state = configuration.initialState
        if !terminal.isUTF8 { state.chartGlyphs = .ascii }
        state.themeNames = configuration.themes.themes.map(\.name)
        state.themeIndex = min(state.themeIndex, state.themeNames.count - 1)
        var appliedTheme = state.themeIndex
        terminal.apply(configuration.themes.themes[appliedTheme])
        var size = terminal.size
        var lastSnapshotTime = -1.0
        var dirty = true
        var wasMarked = false
        let frameTimes = FrameTimeLog(environment: ProcessInfo.processInfo.environment)

        while !configuration.stopRequested() {
            // Keys: wait for the first, then take whatever else is already pending.
            var input = terminal.read(timeoutMilliseconds: 50)
            while let event = input {
                switch event {
                case .resize: size = terminal.size
                case .key(let key): state.handle(key)
                }
                dirty = true
                input = terminal.read(timeoutMilliseconds: 0)
            }
            let now = DashboardModel.monotonicSeconds()
            state.tick(now: now)
            if now - lastSnapshotTime >= 0.1 {
                lastSnapshotTime = now
                if let snapshot = configuration.model.takeLatestSnapshot() {
                    state.receive(snapshot)
                    dirty = true
                }
                if let loading = configuration.loading?.current {
                    if loading.fraction != state.loadingProgress || loading.label != state.loadingLabel { dirty = true }
                    state.loadingProgress = loading.fraction
                    state.loadingLabel = loading.label
                }
            }
            if state.isMarked != wasMarked {
                wasMarked = state.isMarked
                dirty = true
            }
            var shouldQuit = false
            for effect in state.effects {
                switch effect {
                case .quit: shouldQuit = true
                case .bell: terminal.bell()
                case .replayChanged(let speed, let isPaused):
                    configuration.replayControl?.update(ReplayControl.Setting(speed: speed, isPaused: isPaused))
                case .alertStatusChanged(let alertID, let status):
                    configuration.statusSink?.record(status: status == .resolved ? .resolved : .dismissed, forAlertID: alertID)
                case .entityFocused(let entity):
                    // Built now (a pass over the journal) so the page fills on the next turn,
                    // also once the input has ended and no feed publishes any more.
                    configuration.model.focus(on: entity)
                    configuration.model.publishIfChanged()
                    lastSnapshotTime = -1
                case .recordWanted(let event):
                    // One record, found through the file's line index: well within a frame.
                    if let record = configuration.records?.record(for: event) { state.attachRecord(record, to: event) }
                }
            }
            state.effects.removeAll()
            if shouldQuit { break }
            if state.themeIndex != appliedTheme {
                appliedTheme = state.themeIndex
                terminal.apply(configuration.themes.themes[appliedTheme % configuration.themes.themes.count])
                dirty = true
            }
            if dirty {
                state.pageSize = max(1, size.height / 2)
                // Opening the gate wakes the ingest threads waiting at it, one of which may take
                // the core at once: after the frame and its record, not within them.
                frameGate?.close()
                frameTimes?.frameStarts()
                let frameStart = DashboardModel.monotonicSeconds()
                let buffer = render(state: state, size: size)
                let rendered = DashboardModel.monotonicSeconds()
                terminal.draw(buffer)
                frameTimes?.record(start: frameStart, rendered: rendered, end: DashboardModel.monotonicSeconds())
                frameGate?.open()
                dirty = false
            }
        }
    }
}
