/// Numbers the operation types a stream uses (0, 1, 2, …, by first sight, case-insensitive),
/// so per-vault operation baselines are small arrays rather than dictionaries.
///
/// One string look-up per distinct operation symbol, ever; afterwards an array index.
/// - Important: owned by one baseline; not thread-safe.
struct OperationIndex {
    /// Past this many types every further one shares the last index ("other").
    static let capacity = 255

    private let symbols: SymbolTable
    private var bySymbol: [Int16] = []
    private var byName: [String: UInt8] = [:]
    /// The name of each index, as first written.
    private(set) var names: [String] = []

    init(symbols: SymbolTable) {
        self.symbols = symbols
    }

    var count: Int { names.count }

    mutating func index(of operation: Symbol) -> Int {
        let raw = Int(operation.rawValue)
        if raw < bySymbol.count, bySymbol[raw] >= 0 { return Int(bySymbol[raw]) }
        let name = symbols.string(operation) ?? "(none)"
        let index = index(ofName: name)
        if raw < 1 << 20 {
            if raw >= bySymbol.count { bySymbol.append(contentsOf: repeatElement(-1, count: raw + 1 - bySymbol.count)) }
            bySymbol[raw] = Int16(index)
        }
        return index
    }

    /// The index of an operation name (export and import use names).
    mutating func index(ofName name: String) -> Int {
        let key = name.lowercased()
        if let known = byName[key] { return Int(known) }
        if names.count >= Self.capacity { return Self.capacity - 1 }
        byName[key] = UInt8(names.count)
        names.append(name)
        return names.count - 1
    }
}
