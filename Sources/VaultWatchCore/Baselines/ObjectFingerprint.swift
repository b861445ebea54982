/// Which objects (secrets, keys, certificates) a principal's learned hours on a vault touched
/// within the window, as a small Bloom filter of their names: what tells more replicas of its
/// usual load (the objects it always reads, read again) from a stolen credential reading as many
/// other objects (`BurstHistory.isUsualLoad`).
///
/// Why names, not only their number: `BurstHistory.usualObjects` counts the most distinct objects
/// of one learned hour, and an hour that touched no more of them was held to the higher ceiling
/// of more replicas (`replica_ratio`). An intruder with a service's credential reading as many
/// secrets the service never reads, three to five times its usual burst, fitted that count and
/// raised nothing. The fingerprint answers "were these the objects it reads?"; a configuration
/// that gains a secret now and then stays within the quarter of new objects allowed.
///
/// Why a Bloom filter of stable hashes: it never says an object it learned is new (no false
/// negative), so a habit judged as replicas before stays replicas; a false positive only lets an
/// unknown object pass as known (at 100 objects about one in ten), and an intruder reading many
/// other objects is still told by most of them. Hashes of the names, not symbols, because symbols
/// are numbered afresh in each process: the saved bits mean the same after a restart.
///
/// Windowed as `PeriodMaximum` is (half-window periods, read over the whole window), so the
/// names and `BurstHistory.usualObjects` describe the same learned hours.
///
/// Memory: 128 bytes of bits in one allocation and a dictionary slot, kept only for the pairs
/// whose hours can be more replicas of their usual load (`BehaviourBaseline.learnObjects`: a
/// learned hour of more than `principal_minimum / replica_ratio` calls, a dozen by default), none
/// for the many principals calling a few times a day.
struct ObjectFingerprint: Sendable, Hashable, Codable {
    /// Bits in each period's filter (a power of two).
    static let bitsPerPeriod = 512
    static let wordsPerPeriod = bitsPerPeriod / 64

    /// The half-window period `current` holds.
    private(set) var period: UInt16 = 0
    /// The current period's words, then the previous period's.
    private(set) var words: [UInt64]

    init() {
        words = Array(repeating: 0, count: 2 * Self.wordsPerPeriod)
    }

    /// A saved fingerprint (`words`: the current period's, then the previous one's).
    init?(period: UInt16, words: [UInt64]) {
        guard words.count == 2 * Self.wordsPerPeriod else { return nil }
        self.period = period
        self.words = words
    }

    private enum CodingKeys: CodingKey { case period, words }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let words = try container.decode([UInt64].self, forKey: .words)
        guard let fingerprint = ObjectFingerprint(period: try container.decode(UInt16.self, forKey: .period), words: words) else {
            throw DecodingError.dataCorruptedError(
                forKey: .words, in: container, debugDescription: "\(words.count) words, \(2 * Self.wordsPerPeriod) expected")
        }
        self = fingerprint
    }

    /// The stable hash of an object's name (`StableHash`), the same in every process.
    static func hash(of name: String) -> UInt64 { StableHash.digest(name.utf8) }

    /// The two bits of a hash: two 9-bit positions from far apart in it.
    private static func bits(of hash: UInt64) -> (Int, Int) {
        let mask = UInt64(bitsPerPeriod - 1)
        return (Int(hash & mask), Int((hash >> 32) & mask))
    }

    /// Learns the objects of an hour of half-window period `period` (their name hashes).
    mutating func learn(_ hashes: some Sequence<UInt64>, at period: UInt16) {
        let base: Int
        switch PeriodMaximum.recording(at: period, stored: self.period) {
        case .tooOld: return
        case .previous: base = Self.wordsPerPeriod
        case .current: base = 0
        case .rotating(let keepsCurrent):
            for index in 0..<Self.wordsPerPeriod {
                words[Self.wordsPerPeriod + index] = keepsCurrent ? words[index] : 0
                words[index] = 0
            }
            self.period = period
            base = 0
        }
        for hash in hashes {
            let (first, second) = Self.bits(of: hash)
            words[base + first / 64] |= 1 << UInt64(first % 64)
            words[base + second / 64] |= 1 << UInt64(second % 64)
        }
    }

    /// Whether an object of this hash was (probably) touched by a learned hour within the window
    /// as of period `period` (`PeriodMaximum.valueOverWindow`'s periods).
    func contains(_ hash: UInt64, at period: UInt16) -> Bool {
        let now = PeriodMaximum.holders(of: period, stored: self.period)
        let before = PeriodMaximum.holders(of: period &- 1, stored: self.period)
        let (first, second) = Self.bits(of: hash)
        func holds(_ base: Int) -> Bool {
            words[base + first / 64] & (1 << UInt64(first % 64)) != 0 && words[base + second / 64] & (1 << UInt64(second % 64)) != 0
        }
        return ((now.current || before.current) && holds(0)) || ((now.previous || before.previous) && holds(Self.wordsPerPeriod))
    }
}
