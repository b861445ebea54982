import VaultWatchCore

/// The one key table: it drives the key handler, the footer hints and the `?` help screen,
/// so the three never disagree. DESIGN.md §5's keys; no Ctrl-letter defaults (terminals and
/// multiplexers own those).
public struct KeyMap: Sendable, Equatable {
    public private(set) var bindings: [KeyBinding]

    public init(bindings: [KeyBinding] = KeyMap.defaultBindings) {
        self.bindings = bindings
    }

    /// The default table with the configuration file's `[keys]` applied: each overridden action
    /// gets exactly the keys given, in the context of its default binding, and its default keys
    /// no longer do it.
    /// - Throws: `ConfigurationError` at the override's line for an unknown action name, a key
    ///   name that is not a key, an empty key list, or a key that would then do two things in
    ///   one context (a global binding applies in every context, so it conflicts with all).
    public init(overrides: KeyOverrides) throws(ConfigurationError) {
        var bindings = KeyMap.defaultBindings
        var overriddenLines: [KeyAction: KeyOverrides.Override] = [:]
        for override in overrides.overrides {
            guard let action = KeyAction(configurationName: override.action) else {
                let names = KeyAction.allCases.map(\.configurationName).sorted().joined(separator: ", ")
                throw overrides.error(at: override, "unknown key action keys.\(override.action) (expected one of: \(names))")
            }
            guard !override.keys.isEmpty else {
                throw overrides.error(at: override, "keys.\(override.action) is an empty list: give at least one key")
            }
            var keys: [Key] = []
            for name in override.keys {
                guard let key = Key(name: name) else {
                    throw overrides.error(at: override, "keys.\(override.action): \"\(name)\" is not a key")
                }
                if !keys.contains(key) { keys.append(key) }
            }
            for index in bindings.indices where bindings[index].action == action { bindings[index].keys = keys }
            overriddenLines[action] = override
        }
        if let conflict = KeyMap.firstConflict(in: bindings, blaming: overriddenLines) {
            throw overrides.error(at: conflict.override, conflict.problem)
        }
        self.init(bindings: bindings)
    }

    /// A key that two bindings would both claim in one context, blamed on an overridden action
    /// (the one written last when both are), since the defaults never conflict.
    static func firstConflict(
        in bindings: [KeyBinding], blaming overrides: [KeyAction: KeyOverrides.Override]
    ) -> (override: KeyOverrides.Override?, problem: String)? {
        var found: [(override: KeyOverrides.Override?, problem: String)] = []
        for first in bindings.indices {
            for second in bindings.indices where second > first {
                let one = bindings[first]
                let other = bindings[second]
                guard one.action != other.action,
                    one.context == other.context || one.context == .global || other.context == .global,
                    let key = one.keys.first(where: { other.keys.contains($0) })
                else { continue }
                let blameOther = (overrides[other.action]?.line ?? -1) >= (overrides[one.action]?.line ?? -1)
                let (blamed, kept) = blameOther ? (other, one) : (one, other)
                let context = blamed.context == .global ? kept.context : blamed.context
                let problem = "keys.\(blamed.action.configurationName): \(key.label) is also the key of "
                    + "\(kept.action.configurationName) (\(context.title.lowercased())); "
                    + "choose another key, or rebind \(kept.action.configurationName) too"
                found.append((overrides[blamed.action], problem))
            }
        }
        return found.min { ($0.override?.line ?? Int.max) < ($1.override?.line ?? Int.max) }
    }

    /// The action of `key` in `context`: a binding of that context first, then a global one.
    public func action(for key: Key, in context: KeyContext) -> KeyAction? {
        if let binding = bindings.first(where: { $0.context == context && $0.keys.contains(key) }) { return binding.action }
        return bindings.first(where: { $0.context == .global && $0.keys.contains(key) })?.action
    }

    /// The keys of `action` as shown (`?/F1`), for text that names them (help's title, the
    /// footer while help is open).
    public func keyLabel(of action: KeyAction) -> String {
        bindings.first { $0.action == action }?.keyLabel ?? ""
    }

    /// The footer hints of `context`, its own first, then the global ones.
    public func footerHints(in context: KeyContext) -> [(keys: String, hint: String)] {
        let own = bindings.filter { $0.context == context && $0.hint != nil }
        let global = bindings.filter { $0.context == .global && $0.hint != nil }
        return (own + global).compactMap { binding in
            // `q` quits the dashboard but only goes back from an alert.
            // An alert or an event has nothing to filter (the reducer ignores `/` there).
            if binding.action == .startFilter && (context == .detail || context == .event) { return nil }
            let hint = binding.action == .back && context != .dashboard ? "back" : binding.hint
            return hint.map { (binding.keyLabel, $0) }
        }
    }

    public static let defaultBindings: [KeyBinding] = [
        KeyBinding([.enter], .open, .global, hint: "open", "Open the selected row"),
        KeyBinding([.tab], .nextPanel, .global, hint: "panel", "Next panel or list"),
        KeyBinding([.character("/")], .startFilter, .global, hint: "filter", "Filter panels or events"),
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
        KeyBinding([.backTab], .previousPanel, .dashboard, "Previous panel"),
        KeyBinding([.character("1")], .focusVaults, .dashboard, "Vaults panel"),
        KeyBinding([.character("2")], .focusChart, .dashboard, "Baseline chart panel"),
        KeyBinding([.character("3")], .focusActivity, .dashboard, "Live activity panel"),
        KeyBinding([.character("4")], .focusAlerts, .dashboard, "Alerts panel"),
        KeyBinding([.character("n")], .nextMatch, .dashboard, "Next match in the panel"),
        KeyBinding([.character("N")], .previousMatch, .dashboard, "Previous match in the panel"),
        KeyBinding([.character("n")], .nextAlert, .detail, hint: "next", "Next alert"),
        KeyBinding([.character("p")], .previousAlert, .detail, hint: "prev", "Previous alert"),
        KeyBinding([.character("d")], .dismiss, .detail, hint: "dismiss", "Dismiss the alert"),
        KeyBinding([.character("r")], .resolve, .detail, hint: "resolve", "Resolve the alert"),
        KeyBinding([.character("y")], .rawJSON, .detail, hint: "record", "Original record (evidence)"),
        KeyBinding([.character("y")], .rawJSON, .event, hint: "record", "Record, full screen"),
    ]
}
