/// The one key table: it drives the key handler, the footer hints and the `?` help screen,
/// so the three never disagree. DESIGN.md §5's keys; no Ctrl-letter defaults (terminals and
/// multiplexers own those).
public struct KeyMap: Sendable, Equatable {
    public private(set) var bindings: [KeyBinding]

    public init(bindings: [KeyBinding] = KeyMap.defaultBindings) {
        self.bindings = bindings
    }

    /// The default table with `overrides` applied: each overridden action gets exactly the
    /// keys given (in the context of its default binding). The configuration file's
    /// `[keys]` section feeds this, as action name → key names.
    /// - Throws: `KeyMapError` naming the unknown action or key.
    public init(overrides: [String: [String]]) throws(KeyMapError) {
        var bindings = KeyMap.defaultBindings
        for (actionName, keyNames) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let action = KeyAction(rawValue: actionName) else { throw .unknownAction(actionName) }
            var keys: [Key] = []
            for name in keyNames {
                guard let key = Key(name: name) else { throw .unknownKey(name, action: actionName) }
                keys.append(key)
            }
            for index in bindings.indices where bindings[index].action == action { bindings[index].keys = keys }
        }
        self.init(bindings: bindings)
    }

    /// The action of `key` in `context`: a binding of that context first, then a global one.
    public func action(for key: Key, in context: KeyContext) -> KeyAction? {
        if let binding = bindings.first(where: { $0.context == context && $0.keys.contains(key) }) { return binding.action }
        return bindings.first(where: { $0.context == .global && $0.keys.contains(key) })?.action
    }

    /// The footer hints of `context`, its own first, then the global ones.
    public func footerHints(in context: KeyContext) -> [(keys: String, hint: String)] {
        let own = bindings.filter { $0.context == context && $0.hint != nil }
        let global = bindings.filter { $0.context == .global && $0.hint != nil }
        return (own + global).compactMap { binding in
            // `q` quits the dashboard but only goes back from an alert.
            let hint = binding.action == .back && context == .detail ? "back" : binding.hint
            return hint.map { (binding.keyLabel, $0) }
        }
    }

    public static let defaultBindings: [KeyBinding] = [
        KeyBinding([.character("?")], .help, .global, hint: "help", "Show or hide help"),
        KeyBinding([.character("q")], .back, .global, hint: "quit", "Back, or quit"),
        KeyBinding([.escape], .clearOrBack, .global, "Clear filter, then back"),
        KeyBinding([.character("j"), .down], .moveDown, .global, "Move down"),
        KeyBinding([.character("k"), .up], .moveUp, .global, "Move up"),
        KeyBinding([.character("g"), .home], .top, .global, "Go to the top"),
        KeyBinding([.character("G"), .end], .bottom, .global, "Go to the bottom"),
        KeyBinding([.pageUp], .pageUp, .global, "Page up"),
        KeyBinding([.pageDown], .pageDown, .global, "Page down"),
        KeyBinding([.character(" ")], .togglePause, .global, hint: "pause", "Pause or resume"),
        KeyBinding([.character("+")], .faster, .global, "Replay faster"),
        KeyBinding([.character("-")], .slower, .global, "Replay slower"),
        KeyBinding([.character("t")], .nextTheme, .global, hint: "theme", "Next theme"),
        KeyBinding([.enter], .open, .dashboard, hint: "open", "Open alert (vault: its alerts)"),
        KeyBinding([.tab], .nextPanel, .dashboard, hint: "panel", "Next panel"),
        KeyBinding([.backTab], .previousPanel, .dashboard, "Previous panel"),
        KeyBinding([.character("1")], .focusVaults, .dashboard, "Vaults panel"),
        KeyBinding([.character("2")], .focusChart, .dashboard, "Baseline chart panel"),
        KeyBinding([.character("3")], .focusActivity, .dashboard, "Live activity panel"),
        KeyBinding([.character("4")], .focusAlerts, .dashboard, "Alerts panel"),
        KeyBinding([.character("/")], .startFilter, .dashboard, hint: "filter", "Filter all panels"),
        KeyBinding([.character("n")], .nextMatch, .dashboard, "Next match in the panel"),
        KeyBinding([.character("N")], .previousMatch, .dashboard, "Previous match in the panel"),
        KeyBinding([.character("n")], .nextAlert, .detail, hint: "next", "Next alert"),
        KeyBinding([.character("p")], .previousAlert, .detail, hint: "prev", "Previous alert"),
        KeyBinding([.character("d")], .dismiss, .detail, hint: "dismiss", "Dismiss the alert"),
        KeyBinding([.character("r")], .resolve, .detail, hint: "resolve", "Resolve the alert"),
        KeyBinding([.character("y")], .rawJSON, .detail, hint: "raw", "Raw JSON of evidence event"),
    ]
}

/// A key override that cannot be applied.
public enum KeyMapError: Error, Equatable, CustomStringConvertible {
    case unknownAction(String)
    case unknownKey(String, action: String)

    public var description: String {
        switch self {
        case .unknownAction(let name): "unknown key action '\(name)' in [keys]"
        case .unknownKey(let name, let action): "unknown key '\(name)' for '\(action)' in [keys]"
        }
    }
}
