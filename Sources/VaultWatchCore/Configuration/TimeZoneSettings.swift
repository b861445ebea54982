import Foundation

/// Which time zone each vault lives in (`timezone` and `[timezones]` of the configuration):
/// the first pattern that matches a vault's name, else the global zone, else none (the
/// vault's clock is then inferred from its weekly rhythm, see `LocalClock`).
public struct TimeZoneSettings: Sendable, Hashable {
    /// A vault-name pattern (case-insensitive; `*` matches any run of characters) and its zone.
    public struct Rule: Sendable, Hashable {
        public var pattern: String
        public var timeZone: TimeZone

        public init(pattern: String, timeZone: TimeZone) {
            self.pattern = pattern.lowercased()
            self.timeZone = timeZone
        }
    }

    /// `timezone`: every vault without a matching rule.
    public var global: TimeZone?
    /// `[timezones]`, in file order.
    public var rules: [Rule] = []
    /// `infer_timezone`: a vault without a configured zone has its clock inferred from its
    /// weekly rhythm (true by default); false judges it in UTC.
    public var infersFromRhythm = true

    public init(global: TimeZone? = nil, rules: [Rule] = []) {
        self.global = global
        self.rules = rules
    }

    /// The configured clock of vault `name`, nil when none is configured.
    public func clock(forVault name: String) -> LocalClock? {
        let lowered = name.lowercased()
        if let rule = rules.first(where: { Self.matches(lowered, pattern: $0.pattern) }) {
            return LocalClock(source: .configured(rule.timeZone))
        }
        return global.map { LocalClock(source: .configured($0)) }
    }

    /// A glob with `*` only.
    static func matches(_ name: String, pattern: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return name == pattern }
        var rest = Substring(name)
        for (index, part) in parts.enumerated() {
            if index == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if index == parts.count - 1 {
                return part.isEmpty || rest.hasSuffix(part)
            } else if !part.isEmpty {
                guard let found = rest.range(of: part) else { return false }
                rest = rest[found.upperBound...]
            }
        }
        return true
    }
}
