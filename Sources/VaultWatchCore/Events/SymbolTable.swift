import Synchronization

/// The process-wide table of interned strings behind `Symbol`.
///
/// Append-only: a symbol, once given, names the same string for the life of the table, so
/// symbols can cross actors freely. Hot paths (the decoder) keep a `SymbolCache` in front of
/// it and take the lock only for strings they have not seen.
/// - Important: thread-safe; every call takes a short lock.
public final class SymbolTable: Sendable {
    private struct State {
        var interner = ByteInterner()
        var strings: [String] = [""]  // index 0 is Symbol.none
    }

    private let state = Mutex(State())

    public init() {}

    /// The symbol for `bytes`; empty bytes give `Symbol.none`.
    public func intern(_ bytes: UnsafeRawBufferPointer) -> Symbol {
        if bytes.isEmpty { return .none }
        return state.withLock { state in
            let (index, isNew) = state.interner.intern(bytes)
            if isNew { state.strings.append(String(decoding: bytes, as: UTF8.self)) }
            return Symbol(rawValue: UInt32(index + 1))
        }
    }

    public func intern(_ string: String) -> Symbol {
        var copy = string
        return copy.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// The text of `symbol`, or nil for `Symbol.none`.
    public func string(_ symbol: Symbol) -> String? {
        if symbol.isNone { return nil }
        return state.withLock { state in
            let index = Int(symbol.rawValue)
            return index < state.strings.count ? state.strings[index] : nil
        }
    }

    /// How many distinct strings are held.
    public var count: Int { state.withLock { $0.strings.count - 1 } }
}

/// A lock-free front for a `SymbolTable`, owned by one decoder: strings it has seen before
/// resolve without touching the shared lock.
///
/// With `foldingCase`, bytes map to the symbol of their ASCII-lowercased form, so the decoder
/// folds case-insensitive names (vaults, object ids) once per distinct spelling, not per event.
public struct SymbolCache {
    public let table: SymbolTable
    public let foldsCase: Bool
    private var local = ByteInterner()
    private var symbols: [Symbol] = []

    public init(table: SymbolTable, foldingCase: Bool = false) {
        self.table = table
        self.foldsCase = foldingCase
    }

    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Symbol {
        if bytes.isEmpty { return .none }
        let (index, isNew) = local.intern(bytes)
        if isNew {
            if foldsCase {
                let folded = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                symbols.append(folded.withUnsafeBytes { table.intern($0) })
            } else {
                symbols.append(table.intern(bytes))
            }
        }
        return symbols[index]
    }
}
