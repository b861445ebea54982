/// A stable hash of the first bytes of a file (up to `FileFingerprint.maximumLength`), used to
/// tell "the same file, grown" from "another file under the same name or inode" (copy-truncate,
/// inode reuse, a checkpoint taken before a rotation).
///
/// FNV-1a 64: deterministic across processes (unlike `Hasher`, which is seeded per run), so it
/// can be stored in a checkpoint and compared after a restart; incremental, so extending the
/// prefix as a file grows costs only the new bytes.
public struct FileFingerprint: Sendable, Hashable, Codable {
    /// How many leading bytes identify a file.
    public static let maximumLength = 1024

    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of the first `length` bytes.
    public private(set) var hash: UInt64
    /// How many leading bytes `hash` covers, at most `maximumLength`.
    public private(set) var length: Int

    /// The fingerprint of an empty prefix.
    public init() {
        hash = Self.offsetBasis
        length = 0
    }

    /// A fingerprint as stored in a checkpoint.
    public init(hash: UInt64, length: Int) {
        self.hash = hash
        self.length = length
    }

    /// The fingerprint of the first `maximumLength` bytes of `bytes`.
    public init(of bytes: UnsafeRawBufferPointer) {
        self.init()
        extend(with: bytes)
    }

    public var isComplete: Bool { length >= Self.maximumLength }

    /// Adds the bytes that follow the current prefix, up to `maximumLength` in all.
    public mutating func extend(with bytes: UnsafeRawBufferPointer) {
        let count = min(bytes.count, Self.maximumLength - length)
        guard count > 0 else { return }
        var value = hash
        for index in 0..<count {
            value = (value ^ UInt64(bytes[index])) &* Self.prime
        }
        hash = value
        length += count
    }
}
