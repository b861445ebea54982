/// An interned string: a small integer standing for a string held once in a `SymbolTable`.
///
/// Events carry symbols instead of strings so that millions of them cost little; the text is
/// looked up only at the edges (alert JSON, the screen). `Symbol.none` means "absent": the
/// empty string interns to it, so absent and empty are one thing, printed as JSON `null`.
public struct Symbol: Sendable, Hashable, Comparable {
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let none = Symbol(rawValue: 0)

    public var isNone: Bool { rawValue == 0 }

    public static func < (lhs: Symbol, rhs: Symbol) -> Bool { lhs.rawValue < rhs.rawValue }
}
