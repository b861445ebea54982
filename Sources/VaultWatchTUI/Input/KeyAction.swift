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
