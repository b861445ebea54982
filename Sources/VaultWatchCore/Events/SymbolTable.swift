import Synchronization

/// The process-wide table of interned strings behind `Symbol`.
///
/// Two kinds of symbols:
/// - permanent (`intern`): append-only; a symbol names the same string for the life of the
///   table, so symbols can cross actors freely. For what is bounded by the tenant's entities:
///   vaults, principals, applications, operations.
/// - transient (`internTransient`): for fields whose values are unbounded in number, which a
///   hostile or broken writer could make millions of (object names, user agents): held among
///   the last `transientCapacity` distinct such strings only (`TransientStrings`), so the table
///   stays bounded. A transient symbol is only needed while its event is in flight (decoded,
///   reordered, in an open sequence of at most an hour, resolved to text when an alert is
///   raised); a forgotten one names nothing (`string` returns nil) and never another string.
///   Should the same name be seen again after that, it gets a new symbol: two reads of one
///   secret separated by more than `transientCapacity` other new names count as two names.
///
/// Hot paths (the decoder) keep a `SymbolCache` in front of it and take the lock only for
/// strings they have not seen.
/// - Important: thread-safe; every call takes a short lock.
public final class SymbolTable: Sendable {
    private struct State {
        var interner = ByteInterner()
        var strings: [String] = [""]  // index 0 is Symbol.none
        var transient: TransientStrings
    }

    private let state: Mutex<State>
    /// The oldest transient sequence number still held, readable without the lock.
    private let oldestTransient = Atomic<UInt32>(0)
    /// How many transient strings are held at most.
    public let transientCapacity: Int

    /// The top bit of a transient symbol.
    static let transientBit: UInt32 = 0x8000_0000

    /// - Parameter transientCapacity: how many distinct object names, user agents (and other
    ///   unbounded values) are held at once (default 262,144: tens of MiB at most).
    public init(transientCapacity: Int = 1 << 18) {
        self.transientCapacity = max(1, transientCapacity)
        self.state = Mutex(State(transient: TransientStrings(capacity: transientCapacity)))
    }

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

    /// A transient symbol for `bytes` (see the type's notes): the permanent symbol when the
    /// string is already interned permanently, `Symbol.none` for empty bytes.
    ///
    /// A string held transient since before it was interned permanently (a secret named like a
    /// vault or an application that turns up later) keeps its transient symbol while it is held:
    /// one name, one symbol, so an hour's distinct objects (a set of symbols) count it once.
    /// Once forgotten, it gets the permanent symbol, as a name seen again after being forgotten
    /// gets a new one.
    public func internTransient(_ bytes: UnsafeRawBufferPointer) -> Symbol {
        if bytes.isEmpty { return .none }
        let hash = ByteInterner.hash(bytes)
        return state.withLock { state in
            if let index = state.interner.index(of: bytes, hash: hash) {
                if state.transient.count > 0,
                    let held = state.transient.heldSequence(of: String(decoding: bytes, as: UTF8.self)) {
                    return Symbol(rawValue: Self.transientBit | held)
                }
                return Symbol(rawValue: UInt32(index + 1))
            }
            let sequence = state.transient.sequence(of: String(decoding: bytes, as: UTF8.self))
            oldestTransient.store(state.transient.oldest, ordering: .relaxed)
            return Symbol(rawValue: Self.transientBit | sequence)
        }
    }

    public func internTransient(_ string: String) -> Symbol {
        var copy = string
        return copy.withUTF8 { internTransient(UnsafeRawBufferPointer($0)) }
    }

    /// Whether `symbol` still names its string (a transient symbol is forgotten once
    /// `transientCapacity` newer transient strings have come). Lock-free.
    @inline(__always)
    public func isLive(_ symbol: Symbol) -> Bool {
        guard symbol.rawValue & Self.transientBit != 0 else { return true }
        let sequence = symbol.rawValue & TransientStrings.sequenceMask
        let oldest = oldestTransient.load(ordering: .relaxed)
        return sequence >= oldest
    }

    /// The text of `symbol`, or nil for `Symbol.none` and for a forgotten transient symbol.
    public func string(_ symbol: Symbol) -> String? {
        if symbol.isNone { return nil }
        return state.withLock { state in
            if symbol.rawValue & Self.transientBit != 0 {
                return state.transient.string(symbol.rawValue & TransientStrings.sequenceMask)
            }
            let index = Int(symbol.rawValue)
            return index < state.strings.count ? state.strings[index] : nil
        }
    }

    /// Every permanent string, by symbol number (index 0 is `Symbol.none`'s ""), under one lock:
    /// for a reader about to look up many symbols at once (a save). The array is shared, not
    /// copied, until the table next grows, which then copies it once if the reader still holds it.
    public func permanentStrings() -> [String] {
        state.withLock { $0.strings }
    }

    /// How many distinct permanent strings are held.
    public var count: Int { state.withLock { $0.strings.count - 1 } }

    /// How many transient strings are held (at most `transientCapacity`).
    public var transientCount: Int { state.withLock { $0.transient.count } }
}

/// A lock-free front for a `SymbolTable`, owned by one decoder: strings it has seen before
/// resolve without touching the shared lock.
///
/// With `foldingCase`, bytes map to the symbol of their ASCII-lowercased form, so the decoder
/// folds case-insensitive names (vaults, object ids) once per distinct spelling, not per event.
///
/// With `transient`, strings are interned with `SymbolTable.internTransient` (object names,
/// user agents): the cache then holds at most `transientLimit` strings (it starts again when
/// full) and checks on each hit that the table still holds the symbol.
public struct SymbolCache: Sendable {
    public let table: SymbolTable
    public let foldsCase: Bool
    public let isTransient: Bool
    private var local = ByteInterner()
    private var symbols: [Symbol] = []

    /// The most strings a transient cache holds before it starts again.
    static let transientLimit = 1 << 16

    public init(table: SymbolTable, foldingCase: Bool = false, transient: Bool = false) {
        self.table = table
        self.foldsCase = foldingCase
        self.isTransient = transient
    }

    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Symbol {
        if bytes.isEmpty { return .none }
        if isTransient, local.count >= Self.transientLimit {
            local = ByteInterner()
            symbols.removeAll(keepingCapacity: true)
        }
        let (index, isNew) = local.intern(bytes)
        if isNew {
            if foldsCase {
                let folded = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                symbols.append(folded.withUnsafeBytes { isTransient ? table.internTransient($0) : table.intern($0) })
            } else {
                symbols.append(isTransient ? table.internTransient(bytes) : table.intern(bytes))
            }
        } else if isTransient, !table.isLive(symbols[index]) {
            symbols[index] = table.internTransient(bytes)
        }
        return symbols[index]
    }
}
