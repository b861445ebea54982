import Foundation
import TOMLKit

/// The `--config FILE` of the detector (TOML): windows and thresholds per rule, learning and
/// window days, allow-lists and suppressions. `docs/configuration.md` documents every key.
///
/// Unknown keys are errors rather than silently ignored (a misspelt threshold would otherwise
/// leave the default in force without a word). Every error names the file, the line and the
/// problem.
public enum ConfigurationFile {
    /// Reads `path` and applies it over `base`.
    /// - Throws: `ConfigurationError` for an unreadable file, a TOML syntax error, an unknown
    ///   key, or a value of the wrong type or out of range.
    public static func load(path: String, over base: DetectorConfiguration) throws(ConfigurationError) -> DetectorConfiguration {
        return try parse(try read(path: path), file: path, over: base)
    }

    static func read(path: String) throws(ConfigurationError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: path, line: nil, problem: "cannot read the configuration file (\(error.localizedDescription))")
        }
    }

    static func table(_ text: String, file: String) throws(ConfigurationError) -> TOMLTable {
        do {
            return try TOMLDocument.parse(text)
        } catch {
            throw ConfigurationError(file: file, line: error.line, problem: error.message)
        }
    }

    /// Parses configuration `text` (named `file` in errors) and applies it over `base`.
    public static func parse(_ text: String, file: String, over base: DetectorConfiguration) throws(ConfigurationError) -> DetectorConfiguration {
        let table = try Self.table(text, file: file)
        var reader = ConfigurationReader(file: file, locator: ConfigurationLineLocator(text: text))
        var configuration = base
        try reader.apply(table, to: &configuration)
        return configuration
    }
}

/// Walks a parsed TOML table into a `DetectorConfiguration`, with paths for error messages.
struct ConfigurationReader {
    let file: String
    let locator: ConfigurationLineLocator

    func error(_ path: String, _ problem: String) -> ConfigurationError {
        ConfigurationError(file: file, line: locator.line(of: path), problem: problem)
    }

    func check(_ table: TOMLTable, path: String, allowed: Set<String>) throws(ConfigurationError) {
        for key in table.keys.sorted() where !allowed.contains(key) {
            let full = path.isEmpty ? key : "\(path).\(key)"
            throw error(full, "unknown key \(full) (expected one of: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func integer(_ table: TOMLTable, _ key: String, path: String, range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let value = table[key] else { return nil }
        let full = path.isEmpty ? key : "\(path).\(key)"
        guard let number = value.int else { throw error(full, "\(full) must be a whole number") }
        guard range.contains(number) else {
            throw error(full, "\(full) must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
        }
        return number
    }

    func number(_ table: TOMLTable, _ key: String, path: String, range: ClosedRange<Double>) throws(ConfigurationError) -> Double? {
        guard let value = table[key] else { return nil }
        let full = "\(path).\(key)"
        guard let number = value.double ?? value.int.map(Double.init) else { throw error(full, "\(full) must be a number") }
        guard range.contains(number) else {
            throw error(full, "\(full) must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
        }
        return number
    }

    func boolean(_ table: TOMLTable, _ key: String, path: String) throws(ConfigurationError) -> Bool? {
        guard let value = table[key] else { return nil }
        guard let flag = value.bool else { throw error("\(path).\(key)", "\(path).\(key) must be true or false") }
        return flag
    }

    func string(_ table: TOMLTable, _ key: String, path: String) throws(ConfigurationError) -> String? {
        guard let value = table[key] else { return nil }
        guard let text = value.string else { throw error("\(path).\(key)", "\(path).\(key) must be a string") }
        return text
    }

    func strings(_ table: TOMLTable, _ key: String, path: String) throws(ConfigurationError) -> [String] {
        guard let value = table[key] else { return [] }
        let full = "\(path).\(key)"
        guard let array = value.array else { throw error(full, "\(full) must be an array of strings") }
        var result: [String] = []
        for element in array {
            guard let text = element.string else { throw error(full, "\(full) must be an array of strings") }
            result.append(text)
        }
        return result
    }

    mutating func apply(_ root: TOMLTable, to configuration: inout DetectorConfiguration) throws(ConfigurationError) {
        try check(
            root, path: "",
            allowed: ["learning_days", "window_days", "memory_days", "reorder_tolerance_minutes", "timezone", "timezones", "infer_timezone", "allow",
                "rules", "suppress", "keys", "directory", "clock", "journal"])
        // The dashboard's keys: checked here so `detect` reports a bad key line too.
        _ = try keyOverrides(root)
        if let days = try integer(root, "learning_days", path: "", range: 0...365) { configuration.learningDays = days }
        if let days = try integer(root, "window_days", path: "", range: 1...365) {
            configuration.baselineRetentionDays = days
            configuration.clock.maximumLag = .days(Int64(days))
        }
        let memoryDays = try integer(root, "memory_days", path: "", range: 1...730)
        if let memoryDays { configuration.behaviour.memoryDays = memoryDays }
        try applyClock(root, to: &configuration)
        try applyJournal(root, to: &configuration)
        if let minutes = try integer(root, "reorder_tolerance_minutes", path: "", range: 0...120) {
            configuration.behaviour.reorderToleranceMinutes = minutes
            configuration.clock.reorderTolerance = .minutes(Int64(minutes))
        }
        if let name = try string(root, "timezone", path: "") {
            configuration.behaviour.timeZones.global = try timeZone(name, path: "timezone")
        }
        if let flag = try boolean(root, "infer_timezone", path: "") { configuration.behaviour.timeZones.infersFromRhythm = flag }
        if let zones = root["timezones"] {
            guard let table = zones.table else {
                throw error("timezones", "timezones must be a table of vault-name patterns: [timezones] \"kv-au-*\" = \"Australia/Sydney\"")
            }
            // In file order: the first pattern that matches a vault wins.
            let patterns = table.keys.sorted { (locator.line(of: "timezones.\($0)") ?? 0, $0) < (locator.line(of: "timezones.\($1)") ?? 0, $1) }
            for pattern in patterns {
                guard let name = try string(table, pattern, path: "timezones") else { continue }
                configuration.behaviour.timeZones.rules.append(
                    TimeZoneSettings.Rule(pattern: pattern, timeZone: try timeZone(name, path: "timezones.\(pattern)")))
            }
        }
        if let memoryDays, memoryDays < configuration.baselineRetentionDays {
            throw error("memory_days", "memory_days (\(memoryDays)) cannot be less than window_days (\(configuration.baselineRetentionDays))")
        }
        if configuration.learningDays > configuration.baselineRetentionDays {
            throw error("learning_days", "learning_days (\(configuration.learningDays)) cannot exceed window_days (\(configuration.baselineRetentionDays))")
        }
        if let value = root["directory"] {
            guard let directory = value.string else { throw error("directory", "directory must be a string: the path of a directory file") }
            configuration.directory = try directoryNames(directory, over: configuration.directory)
        }
        if let allow = root["allow"] {
            guard let table = allow.table else { throw error("allow", "allow must be a table: [allow]") }
            try applyAllow(table, to: &configuration)
        }
        if let rules = root["rules"] {
            guard let table = rules.table else { throw error("rules", "rules must be a table of [rules.KIND] tables") }
            try applyRules(table, to: &configuration.behaviour)
        }
        if let suppress = root["suppress"] {
            guard let array = suppress.array else { throw error("suppress", "suppress must be written as [[suppress]] tables") }
            for index in 0..<array.count {
                let path = "suppress[\(index)]"
                guard let table = array[index].table else { throw error(path, "each suppress entry must be a table") }
                configuration.suppressions.append(try suppression(table, path: path))
            }
        }
    }

    /// The directory file named by the `directory` key, relative to the configuration file.
    func directoryNames(_ path: String, over base: DirectoryNames) throws(ConfigurationError) -> DirectoryNames {
        var resolved = path
        if !path.hasPrefix("/"), let slash = file.lastIndex(of: "/") {
            resolved = String(file[...slash]) + path
        }
        do {
            return try DirectoryFile.load(path: resolved, over: base)
        } catch {
            throw self.error("directory", "directory: \(error)")
        }
    }

    /// An IANA time zone name ("Australia/Sydney", "UTC").
    func timeZone(_ name: String, path: String) throws(ConfigurationError) -> TimeZone {
        guard let zone = TimeZone(identifier: name) else {
            throw error(path, "\(path): \"\(name)\" is not an IANA time zone name (such as \"Europe/Paris\" or \"Australia/Sydney\")")
        }
        return zone
    }

    func applyAllow(_ table: TOMLTable, to configuration: inout DetectorConfiguration) throws(ConfigurationError) {
        try check(table, path: "allow", allowed: ["principals", "applications", "trusted_ip_ranges"])
        configuration.allowedPrincipalIDs.formUnion(try strings(table, "principals", path: "allow").map { $0.lowercased() })
        configuration.allowedApplicationIDs.formUnion(try strings(table, "applications", path: "allow").map { $0.lowercased() })
        var networks: [IPNetwork] = []
        for text in try strings(table, "trusted_ip_ranges", path: "allow") {
            guard let network = IPNetwork(text) else {
                throw error("allow.trusted_ip_ranges", "allow.trusted_ip_ranges: \"\(text)\" is not an IP address or CIDR range")
            }
            networks.append(network)
        }
        if !networks.isEmpty { configuration.trustedRanges = IPRangeSet(networks) }
    }

    func applyRules(_ rules: TOMLTable, to settings: inout BehaviourSettings) throws(ConfigurationError) {
        for kindName in rules.keys.sorted() {
            let path = "rules.\(kindName)"
            guard let kind = AlertKind(rawValue: kindName) else {
                throw error(path, "unknown alert kind \(kindName) in [\(path)]")
            }
            guard let table = rules[kindName]?.table else { throw error(path, "\(path) must be a table") }
            let keys: Set<String>
            switch kind {
            case .putGetAnomaly: keys = ["enabled", "window_minutes", "routine_days"]
            case .listGetAnomaly: keys = ["enabled", "window_minutes", "minimum_distinct_reads", "usual_ratio"]
            case .operationPatternAnomaly:
                keys = ["enabled", "new_operations", "mix_minimum_operations", "rare_share", "rare_hour_share"]
            case .operationVolumeAnomaly:
                keys = ["enabled", "mad_multiplier", "minimum_margin", "relative_margin", "principal_minimum",
                    "principal_ratio", "principal_margin", "replica_ratio"]
            case .accountVolumeAnomaly: keys = ["enabled", "minimum_vaults", "margin", "ratio"]
            case .accountVolumeAccessDeniedAnomaly: keys = ["enabled", "minimum_vaults", "margin"]
            case .unusualAccessSuspiciousIP: keys = ["enabled", "require_unfamiliar_to_vault", "familiar_block_ranges", "dynamic_range_days", "roaming_blocks"]
            case .sensitiveOperation: keys = ["enabled", "routine_days"]
            default: keys = ["enabled"]
            }
            try check(table, path: path, allowed: keys)
            if let enabled = try boolean(table, "enabled", path: path) {
                if enabled { settings.disabledKinds.remove(kind) } else { settings.disabledKinds.insert(kind) }
            }
            switch kind {
            case .putGetAnomaly:
                if let value = try integer(table, "window_minutes", path: path, range: 1...1440) { settings.putGet.windowMinutes = value }
                if let value = try integer(table, "routine_days", path: path, range: 0...4) { settings.putGet.routineDays = value }
            case .listGetAnomaly:
                if let value = try integer(table, "window_minutes", path: path, range: 1...1440) { settings.listGet.windowMinutes = value }
                if let value = try integer(table, "minimum_distinct_reads", path: path, range: 1...10_000) {
                    settings.listGet.minimumDistinctReads = value
                }
                if let value = try number(table, "usual_ratio", path: path, range: 1...1000) { settings.listGet.usualRatio = value }
            case .operationPatternAnomaly:
                if let value = try boolean(table, "new_operations", path: path) { settings.operationPattern.newOperations = value }
                if let value = try integer(table, "mix_minimum_operations", path: path, range: 1...1_000_000) {
                    settings.operationPattern.mixMinimumOperations = value
                }
                if let value = try number(table, "rare_share", path: path, range: 0...1) { settings.operationPattern.rareShare = value }
                if let value = try number(table, "rare_hour_share", path: path, range: 0...1) {
                    settings.operationPattern.rareHourShare = value
                }
            case .operationVolumeAnomaly:
                if let value = try number(table, "mad_multiplier", path: path, range: 0...1000) {
                    settings.operationVolume.madMultiplier = value
                }
                if let value = try integer(table, "minimum_margin", path: path, range: 0...10_000_000) {
                    settings.operationVolume.minimumMargin = value
                }
                if let value = try number(table, "relative_margin", path: path, range: 0...1000) {
                    settings.operationVolume.relativeMargin = value
                }
                if let value = try integer(table, "principal_minimum", path: path, range: 1...10_000_000) {
                    settings.operationVolume.principalMinimum = value
                }
                if let value = try number(table, "principal_ratio", path: path, range: 1...1000) {
                    settings.operationVolume.principalRatio = value
                }
                if let value = try integer(table, "principal_margin", path: path, range: 0...10_000_000) {
                    settings.operationVolume.principalMargin = value
                }
                if let value = try number(table, "replica_ratio", path: path, range: 1...1000) {
                    settings.operationVolume.replicaRatio = value
                }
            case .accountVolumeAnomaly:
                if let value = try integer(table, "minimum_vaults", path: path, range: 1...100_000) {
                    settings.accountVolume.minimumVaults = value
                }
                if let value = try integer(table, "margin", path: path, range: 0...100_000) { settings.accountVolume.margin = value }
                if let value = try number(table, "ratio", path: path, range: 1...1000) { settings.accountVolume.ratio = value }
            case .accountVolumeAccessDeniedAnomaly:
                if let value = try integer(table, "minimum_vaults", path: path, range: 1...100_000) {
                    settings.accountVolumeDenied.minimumVaults = value
                }
                if let value = try integer(table, "margin", path: path, range: 0...100_000) {
                    settings.accountVolumeDenied.margin = value
                }
            case .unusualAccessSuspiciousIP:
                if let value = try boolean(table, "require_unfamiliar_to_vault", path: path) {
                    settings.unusualIP.requireUnfamiliarToVault = value
                }
                if let value = try integer(table, "familiar_block_ranges", path: path, range: 0...4) {
                    settings.unusualIP.familiarBlockRanges = value
                }
                // Below `AddressBlocks.manyDays`, which stands for days not counted.
                if let value = try integer(table, "dynamic_range_days", path: path, range: 0...100) {
                    settings.unusualIP.dynamicRangeDays = value
                }
                if let value = try integer(table, "roaming_blocks", path: path, range: 0...255) {
                    settings.unusualIP.roamingBlocks = value
                }
            case .sensitiveOperation:
                if let value = try integer(table, "routine_days", path: path, range: 0...4) {
                    settings.sensitiveOperation.routineDays = value
                }
            default:
                break
            }
        }
    }

    func suppression(_ table: TOMLTable, path: String) throws(ConfigurationError) -> Suppression {
        try check(table, path: path, allowed: ["kind", "vault", "principal", "application", "expires"])
        var kind: AlertKind? = nil
        if let name = try string(table, "kind", path: path), name != "*" {
            guard let parsed = AlertKind(rawValue: name) else {
                throw error("\(path).kind", "\(path).kind: unknown alert kind \"\(name)\"")
            }
            kind = parsed
        }
        var expires: EventTime? = nil
        if let value = table["expires"] {
            expires = try expiry(value, path: "\(path).expires")
        }
        let suppression = Suppression(
            kind: kind, vault: try string(table, "vault", path: path), principalID: try string(table, "principal", path: path),
            applicationID: try string(table, "application", path: path), expires: expires,
            origin: "\(file):\(locator.line(of: path) ?? 0)")
        if suppression.kind == nil, suppression.vault == nil, suppression.principalID == nil, suppression.applicationID == nil {
            throw error(path, "\(path) would silence every alert: give at least one of kind, vault, principal, application")
        }
        return suppression
    }

    func expiry(_ value: TOMLValueConvertible, path: String) throws(ConfigurationError) -> EventTime {
        if let dateTime = value.dateTime {
            let date = dateTime.date
            let time = dateTime.time
            let local = EventTime(
                year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute, second: time.second)
            let offsetMinutes = Int64(dateTime.offset?.offset ?? 0)
            return EventTime(ticks: local.ticks - offsetMinutes * EventTime.ticksPerMinute)
        }
        if let date = value.date {
            return EventTime(year: date.year, month: date.month, day: date.day)
        }
        if let text = value.string {
            if let time = EventTime.parse(iso8601: text) { return time }
            if let time = EventTime.parse(iso8601: text + "T00:00:00Z") { return time }
        }
        throw error(path, "\(path) must be a date (2026-12-31) or a date-time (2026-12-31T18:00:00Z)")
    }
}
