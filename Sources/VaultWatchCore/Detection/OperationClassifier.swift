/// Maps operation symbols to their `OperationTraits` so rules never compare strings per event.
///
/// The known names are interned and classified at creation; any other operation symbol is
/// classified the first time it is met (one string look-up per distinct operation, ever).
/// Symbols below `denseLimit` — in practice every operation name, since a stream's first
/// records intern them early — are looked up by array index; the rest through a dictionary.
/// - Complexity: O(1), no allocation once a symbol is known.
/// - Important: owned by one detector; not thread-safe.
struct OperationClassifier {
    private let symbols: SymbolTable
    private var dense: [OperationTraits?] = []
    private var sparse: [Symbol: OperationTraits] = [:]
    private static let denseLimit = 1 << 16

    init(symbols: SymbolTable) {
        self.symbols = symbols
        for name in OperationTraits.knownOperationNames {
            _ = traits(for: symbols.intern(name))
        }
    }

    mutating func traits(for operation: Symbol) -> OperationTraits {
        let index = Int(operation.rawValue)
        if index < dense.count, let known = dense[index] { return known }
        return classify(operation)
    }

    private mutating func classify(_ operation: Symbol) -> OperationTraits {
        let index = Int(operation.rawValue)
        if index >= Self.denseLimit, let known = sparse[operation] { return known }
        let traits = symbols.string(operation).map(OperationTraits.init(operationName:)) ?? .ordinary
        if index < Self.denseLimit {
            if index >= dense.count { dense.append(contentsOf: repeatElement(nil, count: index + 1 - dense.count)) }
            dense[index] = traits
        } else {
            sparse[operation] = traits
        }
        return traits
    }
}
