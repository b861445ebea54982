import Foundation

/// The themes `t` cycles through: the `*.toml` files of the themes directory, `dark` first,
/// or the one file `--theme PATH` names. Without any theme file (a binary copied elsewhere),
/// the built-in attribute-only theme keeps the dashboard usable.
public struct ThemeLibrary: Sendable {
    public private(set) var themes: [Theme]

    public init(themes: [Theme]) {
        self.themes = themes.isEmpty ? [Theme.attributeOnly] : themes
    }

    /// Loads every theme of `directory`, sorted with `dark` first.
    /// - Throws: `ThemeError` for the first file that does not parse.
    public static func load(directory: URL) throws(ThemeError) -> ThemeLibrary {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var themes: [Theme] = []
        for name in names.sorted() where name.hasSuffix(".toml") {
            themes.append(try loadFile(directory.appendingPathComponent(name).path))
        }
        themes.sort { ($0.name == "dark" ? 0 : 1, $0.name) < ($1.name == "dark" ? 0 : 1, $1.name) }
        return ThemeLibrary(themes: themes)
    }

    public static func loadFile(_ path: String) throws(ThemeError) -> Theme {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ThemeError(path: path, message: "cannot read the theme file")
        }
        return try ThemeParser.parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// The themes directory: `$VAULTWATCH_THEMES`, `./themes`, or `themes/` beside the
    /// package the executable was built in (`.build/debug/vaultwatch` → `themes/`).
    public static func defaultDirectory(executablePath: String, environment: [String: String]) -> URL? {
        var candidates: [URL] = []
        if let configured = environment["VAULTWATCH_THEMES"] { candidates.append(URL(fileURLWithPath: configured)) }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("themes"))
        var url = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(url.appendingPathComponent("themes"))
            url.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("dark.toml").path) }
    }

    /// The index of the theme named `name`, if loaded.
    public func index(named name: String) -> Int? { themes.firstIndex { $0.name == name } }
}
