/// The strings of fields whose values are unbounded in number (object names, user agents):
/// the last `capacity` distinct ones, in a ring, so that millions of distinct values cost a
/// fixed amount of memory.
///
/// Each string gets a sequence number; the ring slot `sequence % capacity` holds it until
/// `capacity` newer distinct strings have come, then it is forgotten. Sequence numbers are
/// never reused (until 2³¹ distinct strings), so a forgotten string's symbol never names
/// another string: it names nothing. A string seen again after it was forgotten gets a new
/// sequence number.
/// - Important: not thread-safe; `SymbolTable` keeps it under its lock.
struct TransientStrings {
    let capacity: Int
    private var ring: [String?] = []
    private var sequences: [UInt32] = []
    private var index: [String: UInt32] = [:]
    /// The sequence number the next new string gets.
    private(set) var next: UInt32 = 0

    /// The largest sequence number, before it wraps (the top bit of a symbol marks it transient).
    static let sequenceMask: UInt32 = 0x7FFF_FFFF

    /// The ring grows as strings come, up to `capacity` slots: filled up front, the default
    /// table's 2¹⁸ slots (5 MiB) were written at every start, a third of a short run's page
    /// faults, before the first record was read, and freed again at its end.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The oldest sequence number still held.
    var oldest: UInt32 { next > UInt32(capacity) ? next - UInt32(capacity) : 0 }

    /// How many strings are held.
    var count: Int { index.count }

    /// The slots the ring has room for now (at most `capacity`).
    var allocatedSlots: Int { ring.capacity }

    /// The sequence number of `string` if it is held, without holding it.
    func heldSequence(of string: String) -> UInt32? { index[string] }

    /// The sequence number of `string`, holding it (and forgetting the oldest) if it is new.
    mutating func sequence(of string: String) -> UInt32 {
        if let sequence = index[string] { return sequence }
        let sequence = next
        next = (next &+ 1) & Self.sequenceMask
        let slot = Int(sequence) % capacity
        if slot == ring.count {
            // Not full yet: sequence numbers start at 0 and go up by one, so the ring fills in
            // order. It doubles, but never past `capacity` slots (what the eager ring held).
            if ring.count == ring.capacity {
                let grown = min(capacity, max(2 * ring.count, 256))
                ring.reserveCapacity(grown)
                sequences.reserveCapacity(grown)
            }
            ring.append(string)
            sequences.append(sequence)
        } else {
            if let old = ring[slot] { index.removeValue(forKey: old) }
            ring[slot] = string
            sequences[slot] = sequence
        }
        index[string] = sequence
        return sequence
    }

    /// The string of `sequence`, nil once it has been forgotten.
    func string(_ sequence: UInt32) -> String? {
        let slot = Int(sequence) % capacity
        return slot < sequences.count && sequences[slot] == sequence ? ring[slot] : nil
    }
}
