import TOMLKit
import VaultWatchCore

/// Reads a theme file (TOML, see `themes/README.md`):
///
/// ```toml
/// name = "dark"
/// [palette]
/// red = "#f7768e"
/// [styles]
/// "severity.high" = { fg = "red", bold = true }
/// ```
/// Colours are palette names, `#rrggbb`, 0–255 or ANSI names; attributes are `bold`, `dim`,
/// `reverse`, `underline`, `italic`. Unknown roles and colours are errors, so a typo is
/// reported rather than silently ignored.
public enum ThemeParser {
    public static func parse(_ text: String, path: String) throws(ThemeError) -> Theme {
        let table: TOMLTable
        do {
            table = try TOMLDocument.parse(text)
        } catch {
            throw ThemeError(path: path, line: error.line, message: error.message)
        }
        let fileName = path.split(separator: "/").last.map { String($0.split(separator: ".").first ?? $0) } ?? path
        let name = table["name"]?.string ?? fileName
        var palette: [String: ThemeColor] = [:]
        if let paletteTable = table["palette"]?.table {
            for key in paletteTable.keys {
                guard let text = paletteTable[key]?.string, let color = ThemeColor(text: text) else {
                    throw ThemeError(path: path, message: "palette colour '\(key)' is not #rrggbb, 0-255 or an ANSI name")
                }
                palette[key] = color
            }
        }
        func color(_ text: String?, role: String) throws(ThemeError) -> ThemeColor {
            guard let text else { return .terminalDefault }
            if let named = palette[text] { return named }
            guard let color = ThemeColor(text: text) else {
                throw ThemeError(path: path, message: "style '\(role)': unknown colour '\(text)' (not in [palette], not #rrggbb)")
            }
            return color
        }
        var styles: [StyleRole: ThemeStyle] = [:]
        let rolesByKey = Dictionary(uniqueKeysWithValues: StyleRole.allCases.map { ($0.themeKey, $0) })
        guard let stylesTable = table["styles"]?.table else {
            throw ThemeError(path: path, message: "no [styles] table")
        }
        for key in stylesTable.keys {
            guard let role = rolesByKey[key] else {
                throw ThemeError(path: path, message: "unknown style role '\(key)'")
            }
            guard let entry = stylesTable[key]?.table else {
                throw ThemeError(path: path, message: "style '\(key)' must be a table such as { fg = \"red\", bold = true }")
            }
            var attributes: TextAttributes = []
            for (attributeName, attribute) in TextAttributes.names where entry[attributeName]?.bool == true {
                _ = attributeName
                attributes.insert(attribute)
            }
            styles[role] = ThemeStyle(
                foreground: try color(entry["fg"]?.string, role: key), background: try color(entry["bg"]?.string, role: key),
                attributes: attributes)
        }
        return Theme(name: name, styles: styles)
    }
}
