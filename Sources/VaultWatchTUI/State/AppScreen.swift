import VaultWatchCore

/// The page the dashboard shows; help and the raw-record view lie over it. Pages opened with
/// `Enter` stack on a path (`AppState.path`) that `q`/`Esc` walk back, shown as a breadcrumb.
public enum AppScreen: Sendable, Hashable {
    case dashboard
    /// One alert's detail, by id (the alert may update while it is open).
    case detail(alertID: String)
    /// An entity's page: what the baselines know, its last hours from the journal, its alerts.
    case entity(EntityReference)
    /// One event: its entities (each opens its page) and its record.
    case event(AlertEvidence)
}

/// Where the cursor is on one page: saved on the path when a page opens over it, so going
/// back finds each page as it was left.
public struct PageCursor: Sendable, Hashable {
    /// Which list of the page has the cursor (`Tab` cycles): on an alert, evidence then
    /// entities; on an entity page, events then alerts.
    public var section = 0
    /// The selected row of each section.
    public var rows: [Int] = [0, 0]
    /// The scroll of the page's upper part (an alert's document).
    public var scroll = 0
    /// The filter typed on this page (`/`): the dashboard's panels, an entity's events.
    public var filter = ""

    public init() {}

    public var row: Int {
        get { rows[min(section, rows.count - 1)] }
        set { rows[min(section, rows.count - 1)] = newValue }
    }
}

/// A page under the current one on the path.
public struct PathStep: Sendable, Hashable {
    public var screen: AppScreen
    public var cursor: PageCursor
}

/// How events arrive: tailing live sources, or replaying a recorded scenario.
public enum RunMode: Sendable, Hashable {
    case live
    case replay
}

/// What the reducer asks the world to do; the run loop performs these after each change.
public enum AppEffect: Sendable, Hashable {
    case quit
    case bell
    /// The replay's pause or speed changed (the pacer reads it).
    case replayChanged(speed: Double, isPaused: Bool)
    /// An analyst dismissed or resolved an alert (the store persists it once it lands).
    case alertStatusChanged(alertID: String, status: AlertStatusChoice)
    /// The entity page on top changed (nil: none is open): the model builds its activity from
    /// the journal and asks the detector what its baselines know.
    case entityFocused(EntityReference?)
    /// An event's page opened without its original record: the run loop reads it again from
    /// its file (`RecordFinder`) and gives it back with `attachRecord`.
    case recordWanted(AlertEvidence)
}

/// The statuses an analyst can set from the dashboard.
public enum AlertStatusChoice: String, Sendable, Hashable {
    case resolved
    case dismissed
}
