/// The catalogue of alert kinds in one language: display name, default severity, ATT&CK
/// mapping, description and remediation for each kind.
///
/// Words are the project's own. Every kind has an entry in every `Language` (a test checks it),
/// so looking one up cannot fail.
public struct AlertCatalog: Sendable {
    /// One kind's catalogue entry.
    public struct Entry: Sendable, Hashable {
        public var kind: AlertKind
        public var text: AlertText
        public var defaultSeverity: Severity
        public var attack: AttackMapping

        public var displayName: String { text.displayName }
        public var description: String { text.description }
        public var remediation: String { text.remediation }
    }

    public let language: Language

    public init(language: Language) {
        self.language = language
    }

    public func entry(for kind: AlertKind) -> Entry {
        Entry(kind: kind, text: text(for: kind), defaultSeverity: kind.defaultSeverity, attack: kind.attackMapping)
    }

    public func text(for kind: AlertKind) -> AlertText {
        switch language {
        case .en: Self.englishText(for: kind)
        case .fr: Self.frenchText(for: kind)
        }
    }

    /// Every kind, in declaration order.
    public var entries: [Entry] { AlertKind.allCases.map(entry(for:)) }
}
