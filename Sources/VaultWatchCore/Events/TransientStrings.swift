/// The strings of fields whose values are unbounded in number (object names, user agents):
/// the last `capacity` distinct ones, in a ring, so that millions of distinct values cost a
/// fixed amount of memory.
///
/// Each string gets a sequence number; the ring slot `sequence % capacity` holds it until
/// `capacity` newer distinct strings have come, then it is forgotten. Sequence numbers are
/// never reused (until 2³¹ distinct strings), so a forgotten string's symbol never names
/// another string: it names nothing. A string seen again after it was forgotten gets a new
/// sequence number.
/// A save encodes the detector's state on a thread of its own, from a copy taken at one point
/// (`DetectorStateCut`), while new strings keep coming: the cut pins the strings held at that
/// point (`pin()`), and those the ring forgets while it is pinned stay readable through the pin
/// (`string(_:pinnedFrom:)`), never through `string(_:)`, so the detector sees the same strings
/// forgotten whether or not a save is being encoded.
/// - Important: not thread-safe; `SymbolTable` keeps it under its lock.
struct TransientStrings {
    let capacity: Int
    private var ring: [String?]
    private var sequences: [UInt32]
    private var index: [String: UInt32] = [:]
    /// The oldest sequence number each pin needs, with how many pins need it.
    private var pins: [UInt32: Int] = [:]
    /// The lowest of `pins`' keys (`UInt32.max`: no pin): strings forgotten at or after it are kept.
    private var lowestPin = UInt32.max
    /// Strings the ring forgot while a pin needed them, by sequence number.
    private var forgottenButPinned: [UInt32: String] = [:]
    /// The sequence number the next new string gets.
    private(set) var next: UInt32 = 0

    /// The largest sequence number, before it wraps (the top bit of a symbol marks it transient).
    static let sequenceMask: UInt32 = 0x7FFF_FFFF

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        ring = Array(repeating: nil, count: self.capacity)
        sequences = Array(repeating: 0, count: self.capacity)
    }

    /// The oldest sequence number still held.
    var oldest: UInt32 { next > UInt32(capacity) ? next - UInt32(capacity) : 0 }

    /// How many strings are held.
    var count: Int { index.count }

    /// How many forgotten strings are kept for pins.
    var pinnedCount: Int { forgottenButPinned.count }

    /// The sequence number of `string`, holding it (and forgetting the oldest) if it is new.
    mutating func sequence(of string: String) -> UInt32 {
        if let sequence = index[string] { return sequence }
        let sequence = next
        next = (next &+ 1) & Self.sequenceMask
        let slot = Int(sequence) % capacity
        if let old = ring[slot] {
            index.removeValue(forKey: old)
            if sequences[slot] >= lowestPin { forgottenButPinned[sequences[slot]] = old }
        }
        ring[slot] = string
        sequences[slot] = sequence
        index[string] = sequence
        return sequence
    }

    /// The string of `sequence`, nil once it has been forgotten.
    func string(_ sequence: UInt32) -> String? {
        let slot = Int(sequence) % capacity
        return sequences[slot] == sequence ? ring[slot] : nil
    }

    /// Pins the strings held now, sequence numbers `from..<until`: until `unpin(from:)`, each
    /// stays readable by `string(_:pinnedFrom:until:)` even once the ring has forgotten it.
    mutating func pin() -> (from: UInt32, until: UInt32) {
        let from = oldest
        pins[from, default: 0] += 1
        lowestPin = min(lowestPin, from)
        return (from, next)
    }

    mutating func unpin(from: UInt32) {
        guard let count = pins[from] else { return }
        pins[from] = count > 1 ? count - 1 : nil
        lowestPin = pins.keys.min() ?? .max
        if pins.isEmpty {
            forgottenButPinned.removeAll()
        } else {
            forgottenButPinned = forgottenButPinned.filter { $0.key >= lowestPin }
        }
    }

    /// The string of `sequence` as it was when the pin `from..<until` was taken: nil if it was
    /// forgotten by then, or came after.
    func string(_ sequence: UInt32, pinnedFrom from: UInt32, until: UInt32) -> String? {
        guard sequence >= from, sequence < until else { return nil }
        return string(sequence) ?? forgottenButPinned[sequence]
    }
}
