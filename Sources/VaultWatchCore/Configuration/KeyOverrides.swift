/// The `[keys]` section of a configuration file, checked for syntax but not yet applied: action
/// name → canonical key names, each with the line it was written on. Core does not know the
/// dashboard's actions; the dashboard's `KeyMap(overrides:)` checks the action names and
/// conflicts and reports them at these lines, so every `[keys]` error reads `file:line: problem`.
public struct KeyOverrides: Sendable, Hashable {
    /// One `action = "key"` or `action = ["key", …]` line.
    public struct Override: Sendable, Hashable {
        /// The action's name as written (`next_panel`).
        public var action: String
        /// Canonical key names (`KeyName.canonical`), never empty, without repeats.
        public var keys: [String]
        /// 1-based line of the override; nil when not from a file.
        public var line: Int?

        public init(action: String, keys: [String], line: Int? = nil) {
            self.action = action
            self.keys = keys
            self.line = line
        }
    }

    /// The configuration file, for error messages.
    public var file: String
    /// In action-name order (TOML tables are unordered).
    public var overrides: [Override]

    public init(file: String, overrides: [Override] = []) {
        self.file = file
        self.overrides = overrides
    }

    public var isEmpty: Bool { overrides.isEmpty }

    /// An error at `override`'s line.
    public func error(at override: Override?, _ problem: String) -> ConfigurationError {
        ConfigurationError(file: file, line: override?.line, problem: problem)
    }
}
