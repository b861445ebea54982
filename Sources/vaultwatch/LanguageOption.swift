import ArgumentParser
import VaultWatchCore

/// `--lang en|fr`, defaulting to the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
struct LanguageOption: ParsableArguments {
    @Option(help: ArgumentHelp("Language of alert texts: en or fr (default from LANG).", valueName: "en|fr"))
    var lang: String?

    func validate() throws {
        if let lang, Language(rawValue: lang) == nil {
            throw ValidationError("--lang must be en or fr, not \"\(lang)\"")
        }
    }

    func language(environment: [String: String]) -> Language {
        if let lang, let language = Language(rawValue: lang) { return language }
        return Language(localeIdentifier: environment["LC_ALL"] ?? environment["LC_MESSAGES"] ?? environment["LANG"])
    }
}
