/// A problem in a configuration file, naming the file, the line (when known) and what is wrong,
/// in words a user can act on: `vaultwatch.toml:12: rules.KV_ListGetAnomaly.usual_ratio must be a number`.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; nil when the problem is the file as a whole.
    public var line: Int?
    public var problem: String

    public init(file: String, line: Int?, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    public var description: String {
        if let line { return "\(file):\(line): \(problem)" }
        return "\(file): \(problem)"
    }
}
