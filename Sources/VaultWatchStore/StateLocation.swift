/// Where `watch` keeps its state when not told otherwise: `$XDG_STATE_HOME/vaultwatch`, else
/// `~/.local/state/vaultwatch` (DESIGN.md §6).
public enum StateLocation {
    public static func defaultDirectory(environment: [String: String]) -> String {
        if let stateHome = environment["XDG_STATE_HOME"], !stateHome.isEmpty {
            return stateHome + "/vaultwatch"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "."
        return home + "/.local/state/vaultwatch"
    }

    public static func defaultFile(environment: [String: String]) -> String {
        defaultDirectory(environment: environment) + "/state.sqlite"
    }
}
