import VaultWatchCore

/// Everything the screen shows, as a value: keys and snapshots change it through the reducer
/// (`AppState+Reducer.swift`), and `DashboardRenderer.render(state:size:)` draws it. No
/// terminal, no clock, no I/O: tests build one, send keys and look at the result.
public struct AppState: Sendable {
    public var snapshot: DashboardSnapshot
    /// What is being read, as the header shows it (`demo`, a path, `stdin`).
    public var sourceDescription: String
    public var mode: RunMode
    /// Replay speed (event seconds per wall second); unused when live.
    public var speed: Double
    public var isPaused = false
    public var screen = AppScreen.dashboard
    /// The pages under `screen`, oldest first (the dashboard at the bottom once one is open).
    public var path: [PathStep] = []
    /// The cursor of the page on top.
    public var cursor = PageCursor()
    /// The entity page last announced to the model (`AppEffect.entityFocused`).
    public var announcedEntity: EntityReference?
    public var isShowingHelp = false
    /// The raw JSON of the selected evidence event lies over the alert's detail.
    public var isShowingRawJSON = false
    /// How far the record over the page is scrolled.
    public var recordScroll = 0
    /// Original records read again from their files for events that came without one (an
    /// alert restored from the state file, a journalled event), by event.
    public var foundRecords: [AlertEvidence: String] = [:]
    public var focus = Panel.alerts
    /// Selections by identity, so they survive new snapshots reordering the lists.
    public var selectedVaultName: String?
    public var selectedAlertID: String?
    /// The alert selection follows the newest alert until the analyst moves it (`g` returns
    /// to following): new alerts arrive at the top and must not push the selection out of view.
    public var followsNewestAlert = true
    public var activityOffset = 0
    public var isEditingFilter = false
    public var themeNames: [String]
    public var themeIndex = 0
    public var chartGlyphs: ChartGlyphs
    /// Statuses set from the keyboard, over the detector's (persisted by the store once it lands).
    public var statusOverrides: [String: AlertStatus] = [:]
    public var keyMap: KeyMap
    /// Display names shown beside object and app ids (`--directory`, first-party applications).
    public var names: DirectoryNames = .builtIn
    /// Rows a page moves (set from the screen size by the run loop).
    public var pageSize = 10
    /// Monotonic seconds of the last tick, for the header mark.
    public var now = 0.0
    /// The header shows `markText` until `markUntil`, after a new Medium or High alert.
    public var markUntil = 0.0
    public var markText = ""
    public var ringsBell = false
    /// Loading the history: progress 0…1 and what is being loaded; nil once playing.
    public var loadingProgress: Double?
    public var loadingLabel = ""
    /// A snapshot that arrived while a live display was paused, shown on resume.
    public var heldSnapshot: DashboardSnapshot?
    public var knownAlertIDs: Set<String> = []
    /// Effects for the run loop, drained after each change.
    public var effects: [AppEffect] = []

    public init(
        sourceDescription: String, mode: RunMode, speed: Double = 1, themeNames: [String] = ["dark"],
        chartGlyphs: ChartGlyphs = .blocks, keyMap: KeyMap = KeyMap(), snapshot: DashboardSnapshot = DashboardSnapshot()
    ) {
        self.sourceDescription = sourceDescription
        self.mode = mode
        self.speed = speed
        self.themeNames = themeNames.isEmpty ? ["dark"] : themeNames
        self.chartGlyphs = chartGlyphs
        self.keyMap = keyMap
        self.snapshot = snapshot
        self.knownAlertIDs = Set(snapshot.alerts.map(\.id))
    }

    public var themeName: String { themeNames[themeIndex % themeNames.count] }

    /// The filter of the page on top (`/`): the dashboard's panels, an entity page's events.
    public var filter: String {
        get { cursor.filter }
        set { cursor.filter = newValue }
    }

    /// The scroll of an alert's document.
    public var detailScroll: Int {
        get { cursor.scroll }
        set { cursor.scroll = newValue }
    }

    /// The selected evidence event of an alert (its page's first section).
    public var selectedEvidence: Int {
        get { cursor.rows[0] }
        set { cursor.rows[0] = newValue }
    }

    /// The context the key table is read in.
    public var keyContext: KeyContext {
        switch screen {
        case .dashboard: .dashboard
        case .detail: .detail
        case .entity: .entity
        case .event: .event
        }
    }
}
