/// The page the dashboard shows; help and the raw-JSON view lie over it.
public enum AppScreen: Sendable, Hashable {
    case dashboard
    /// One alert's detail, by id (the alert may update while it is open).
    case detail(alertID: String)
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
}

/// The statuses an analyst can set from the dashboard.
public enum AlertStatusChoice: String, Sendable, Hashable {
    case resolved
    case dismissed
}
