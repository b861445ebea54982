/// What a key does. The key table maps keys to these; the reducer acts on them.
public enum KeyAction: String, Sendable, Hashable, CaseIterable {
    case help
    case back
    case clearOrBack
    case open
    case nextPanel
    case previousPanel
    case focusVaults
    case focusChart
    case focusActivity
    case focusAlerts
    case moveDown
    case moveUp
    case top
    case bottom
    case pageUp
    case pageDown
    case startFilter
    case nextMatch
    case previousMatch
    case togglePause
    case faster
    case slower
    case nextTheme
    case nextAlert
    case previousAlert
    case dismiss
    case resolve
    case rawJSON
}

extension KeyAction {
    /// The action's name in the configuration file's `[keys]` section (`next_panel = "l"`);
    /// docs/configuration.md lists them all.
    public var configurationName: String {
        switch self {
        case .help: "help"
        case .back: "back"
        case .clearOrBack: "clear_or_back"
        case .open: "open"
        case .nextPanel: "next_panel"
        case .previousPanel: "previous_panel"
        case .focusVaults: "focus_vaults"
        case .focusChart: "focus_chart"
        case .focusActivity: "focus_activity"
        case .focusAlerts: "focus_alerts"
        case .moveDown: "move_down"
        case .moveUp: "move_up"
        case .top: "top"
        case .bottom: "bottom"
        case .pageUp: "page_up"
        case .pageDown: "page_down"
        case .startFilter: "filter"
        case .nextMatch: "next_match"
        case .previousMatch: "previous_match"
        case .togglePause: "pause"
        case .faster: "faster"
        case .slower: "slower"
        case .nextTheme: "next_theme"
        case .nextAlert: "next_alert"
        case .previousAlert: "previous_alert"
        case .dismiss: "dismiss"
        case .resolve: "resolve"
        case .rawJSON: "raw_json"
        }
    }

    /// The action named `configurationName` in `[keys]`.
    public init?(configurationName: String) {
        guard let action = KeyAction.allCases.first(where: { $0.configurationName == configurationName }) else { return nil }
        self = action
    }
}
