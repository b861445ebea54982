#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole (small) file: the lists and tables VaultWatch loads at start (Tor exits,
/// threat intelligence, the directory of names). POSIX calls, so that a failure carries the
/// system's own words ("No such file or directory", "Permission denied", "Is a directory").
enum WholeFile {
    /// The file's bytes, or the system's reason it could not be read.
    static func contents(of path: String) -> Result<[UInt8], WholeFileError> {
        func failure() -> Result<[UInt8], WholeFileError> { .failure(WholeFileError(reason: String(cString: strerror(errno)))) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return failure() }
        defer { _ = close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return .success(bytes) }
            if count < 0 {
                if errno == EINTR { continue }
                return failure()
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}

/// Why `WholeFile.contents(of:)` failed, in the system's words.
struct WholeFileError: Error {
    var reason: String
}
