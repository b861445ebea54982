import TOMLKit

extension ConfigurationFile {
    /// The `[keys]` section of the file at `path` (empty when the file has none), for the
    /// dashboard's key table. The rest of the file is checked by `load(path:over:)`.
    /// - Throws: `ConfigurationError` for an unreadable file, bad TOML, a `[keys]` value that
    ///   is not a key name or a non-empty array of them, or an unparseable key name.
    public static func keyOverrides(path: String) throws(ConfigurationError) -> KeyOverrides {
        try parseKeyOverrides(try read(path: path), file: path)
    }

    /// The `[keys]` section of configuration `text` (named `file` in errors).
    public static func parseKeyOverrides(_ text: String, file: String) throws(ConfigurationError) -> KeyOverrides {
        let table = try table(text, file: file)
        let reader = ConfigurationReader(file: file, locator: ConfigurationLineLocator(text: text))
        return try reader.keyOverrides(table)
    }
}

extension ConfigurationReader {
    /// `[keys]`: `action = "key"` or `action = ["key", …]`, each key name checked by `KeyName`.
    func keyOverrides(_ root: TOMLTable) throws(ConfigurationError) -> KeyOverrides {
        var result = KeyOverrides(file: file)
        guard let section = root["keys"] else { return result }
        guard let table = section.table else { throw error("keys", "keys must be a table: [keys]") }
        for action in table.keys.sorted() {
            let path = "keys.\(action)"
            let line = locator.line(of: path)
            let names: [String]
            if let name = table[action]?.string {
                names = [name]
            } else if let array = table[action]?.array {
                var collected: [String] = []
                for element in array {
                    guard let name = element.string else {
                        throw error(path, "\(path) must be a key name or an array of key names (\"x\", [\"tab\", \"l\"])")
                    }
                    collected.append(name)
                }
                guard !collected.isEmpty else {
                    throw error(path, "\(path) is an empty list: give at least one key (an action cannot be left without a key)")
                }
                names = collected
            } else {
                throw error(path, "\(path) must be a key name or an array of key names (\"x\", [\"tab\", \"l\"])")
            }
            var keys: [String] = []
            for name in names {
                let canonical: String
                do {
                    canonical = try KeyName.canonical(name)
                } catch {
                    throw self.error(path, "\(path): \"\(name)\" \(error.reason)")
                }
                if !keys.contains(canonical) { keys.append(canonical) }
            }
            result.overrides.append(KeyOverrides.Override(action: action, keys: keys, line: line))
        }
        return result
    }
}
