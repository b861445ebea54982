/// The project's pseudo-random numbers: SplitMix64, seeded explicitly, so one seed gives the
/// same demo tenant byte for byte on every machine and every Swift release, and the same
/// benchmark input and randomised test cases on every run.
///
/// Never `SystemRandomNumberGenerator`, and never the standard library's `random(in:using:)`
/// either: its way of turning words into ranges is not a documented contract, so a toolchain
/// update could change the demo. The helpers below are the only arithmetic used.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// An independent stream for one purpose (a day, a routine, a story): the seed mixed with
    /// a label and numbers, so generating one day never depends on having generated another.
    public init(seed: UInt64, stream label: String, _ numbers: Int...) {
        var hash = SeededRandom.fnv1a(label.utf8)
        for number in numbers {
            hash = SeededRandom.fnv1a(withUnsafeBytes(of: UInt64(bitPattern: Int64(number)).littleEndian) { Array($0) }, start: hash)
        }
        var mixer = SeededRandom(seed: seed ^ hash)
        state = mixer.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A number in `0..<bound` (multiply-shift; the bias is far below anything visible).
    public mutating func below(_ bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    public mutating func number(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `percent` / 100.
    public mutating func chance(percent: Int) -> Bool {
        below(100) < percent
    }

    public mutating func element<Element>(of elements: [Element]) -> Element {
        elements[below(elements.count)]
    }

    /// `count` distinct elements, in a random order (all of them when there are fewer).
    public mutating func distinctElements<Element>(_ count: Int, of elements: [Element]) -> [Element] {
        var pool = elements
        var chosen: [Element] = []
        while chosen.count < count, !pool.isEmpty {
            chosen.append(pool.remove(at: below(pool.count)))
        }
        return chosen
    }

    static func fnv1a<Bytes: Sequence>(_ bytes: Bytes, start: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 where Bytes.Element == UInt8 {
        var hash = start
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
