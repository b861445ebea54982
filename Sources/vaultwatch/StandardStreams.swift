#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to stdout (alerts, machine-readable) and stderr (problems and the summary, for
/// people), unbuffered by Foundation so that output order is exactly the order written.
enum StandardStreams {
    /// Writes `text` plus a newline to stderr.
    static func error(_ text: String) {
        var line = text
        line.append("\n")
        line.withUTF8 { bytes in writeAll(2, UnsafeRawBufferPointer(bytes)) }
    }

    /// Writes bytes to stdout.
    static func output(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeAll(1, $0) }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let written = write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return  // a closed pipe: nothing useful left to do with the output
            }
            offset += written
        }
    }
}
