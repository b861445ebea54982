import VaultWatchCore

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
    /// F1–F12.
    case function(Int)
    /// Ctrl and a lowercase letter; only ever bound by the user (`ctrl-x` in `[keys]`).
    case control(Character)

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
        case .function(let number): "F\(number)"
        case .control(let letter): "Ctrl-\(letter.uppercased())"
        }
    }

    /// A key from its name in a configuration file, with the syntax of `KeyName` (Core checks
    /// the same names when it reads `[keys]`): a single character, or `enter`, `esc`, `tab`,
    /// `backtab`/`shift-tab`, `up`, `down`, `left`, `right`, `home`, `end`, `pageup`,
    /// `pagedown`, `space`, `backspace`, `f1`–`f12`, `ctrl-LETTER` (names case-insensitive).
    /// nil for anything else.
    public init?(name: String) {
        guard let canonical = try? KeyName.canonical(name) else { return nil }
        if canonical.count == 1, let character = canonical.first {
            self = .character(character)
            return
        }
        switch canonical {
        case "enter": self = .enter
        case "esc": self = .escape
        case "tab": self = .tab
        case "backtab": self = .backTab
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "pageup": self = .pageUp
        case "pagedown": self = .pageDown
        case "home": self = .home
        case "end": self = .end
        case "space": self = .character(" ")
        case "backspace": self = .backspace
        default:
            if canonical.hasPrefix("ctrl-"), let letter = canonical.last {
                self = .control(letter)
            } else if canonical.hasPrefix("f"), let number = Int(canonical.dropFirst()), (1...12).contains(number) {
                self = .function(number)
            } else {
                return nil
            }
        }
    }
}
