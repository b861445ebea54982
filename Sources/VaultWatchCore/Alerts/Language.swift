/// The language of the words an alert carries: display name, description, remediation and
/// reasons. MITRE ATT&CK names stay in English in every language: they are identifiers
/// analysts search for.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    case en
    case fr

    /// The language a POSIX locale value asks for (`LANG`, `LC_ALL`, `--lang`):
    /// `fr`, `fr_FR.UTF-8`, `fr-CA` give French; anything else, or nothing, gives English.
    /// The caller decides which variable to read: the core never reads the environment.
    public init(localeIdentifier: String?) {
        guard let identifier = localeIdentifier?.lowercased(), identifier.hasPrefix("fr") else {
            self = .en
            return
        }
        let rest = identifier.dropFirst(2)
        self = rest.isEmpty || rest.first == "_" || rest.first == "-" || rest.first == "." || rest.first == "@" ? .fr : .en
    }
}
