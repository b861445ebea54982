#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry `readdir` listed: its name and its kind, read field by field.
///
/// `readdir` returns a record of `d_reclen` bytes in the directory stream's buffer, not a whole
/// `struct dirent`: its name ends at its terminating zero, and the 256 bytes that Swift's
/// `d_name` tuple declares may run past the end of the buffer. Reading `entry.pointee` (or
/// `d_name` as a tuple) copies the whole declared struct, and past a buffer that ends at an
/// unmapped page that is a crash: `detect --state` on a file in /tmp (12,000 entries, listed
/// for the file's rotated generations) died of SIGSEGV in 8 of 10 runs. So each field is read
/// through a pointer to it, and the name only up to its zero.
public struct DirectoryEntry {
    /// The entry's name (not a path); invalid UTF-8 repaired as `String(cString:)` does.
    public let name: String
    /// `d_type`: `DT_REG`, `DT_DIR`, `DT_LNK`, … or `DT_UNKNOWN` where the file system does not say.
    public let kind: UInt8

    /// Reads the entry `readdir` just returned (valid until the next `readdir` of its stream).
    public init(_ entry: UnsafeMutablePointer<dirent>) {
        let field = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        name = String(cString: field.assumingMemoryBound(to: CChar.self))
        kind = (UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_type)!).load(as: UInt8.self)
    }

    /// Whether this is `.` or `..`, which every directory lists.
    public var isSelfOrParent: Bool { name == "." || name == ".." }
}
