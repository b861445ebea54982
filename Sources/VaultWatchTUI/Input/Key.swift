/// A key press, decoded from the terminal by the adapter (or built by tests).
public enum Key: Sendable, Hashable {
    case character(Character)
    case enter
    case escape
    case tab
    case backTab
    case up
    case down
    case left
    case right
    case pageUp
    case pageDown
    case home
    case end
    case backspace

    /// The key as help and the footer show it.
    public var label: String {
        switch self {
        case .character(" "): "Space"
        case .character(let character): String(character)
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .backspace: "Backspace"
        }
    }

    /// A key from its name in a configuration file: a single character, or one of `Enter`,
    /// `Esc`, `Tab`, `Shift-Tab`, `Up`, `Down`, `Left`, `Right`, `PgUp`, `PgDn`, `Home`, `End`,
    /// `Space`, `Backspace` (case-insensitive). nil for anything else.
    public init?(name: String) {
        if name.count == 1, let character = name.first {
            self = .character(character)
            return
        }
        switch name.lowercased() {
        case "enter", "return": self = .enter
        case "esc", "escape": self = .escape
        case "tab": self = .tab
        case "shift-tab", "backtab": self = .backTab
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "pgup", "pageup": self = .pageUp
        case "pgdn", "pagedown": self = .pageDown
        case "home": self = .home
        case "end": self = .end
        case "space": self = .character(" ")
        case "backspace": self = .backspace
        default: return nil
        }
    }
}
