/// What rules share and do not own: the symbol table (to word reasons when they fire), the
/// address lists and the language of the words.
///
/// A class: every rule takes it for every event, and a struct of its ~190 bytes, read from the
/// detector (an actor's stored property), was copied for each call (`Detector.evaluateBehaviour`'s
/// profile in docs/performance.md). Immutable, so sharing it changes nothing else.
public final class RuleContext: Sendable {
    /// The name of the object an operator touches to raise `KV_TestAlert`.
    public static let testObjectName = "vaultwatch-test-alert"

    public let symbols: SymbolTable
    public let torExits: ThreatIntelList?
    public let threatIntel: ThreatIntelList?
    public let language: Language
    /// `testObjectName` interned once, so the test-alert rule compares a symbol per event.
    public let testObjectSymbol: Symbol

    public init(symbols: SymbolTable, torExits: ThreatIntelList? = nil, threatIntel: ThreatIntelList? = nil, language: Language = .en) {
        self.symbols = symbols
        self.torExits = torExits
        self.threatIntel = threatIntel
        self.language = language
        self.testObjectSymbol = symbols.intern(Self.testObjectName)
    }
}
