#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Standard input copied to a private temporary file (directory 0700, file 0600, removed
/// after), for `hunt --format raw`: the matching records are found again in their file after
/// the hunt, and a pipe cannot be read twice. Costs the input's size on disk while it runs.
struct StdinSpool {
    let directory: String
    let path: String

    /// Copies standard input to its end.
    /// - Throws: `CommandFailure` when the temporary file cannot be made or written.
    init() throws {
        var template = Array((NSTemporaryDirectory() + "/vaultwatch-stdin-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CommandFailure(message: "cannot make a temporary directory for stdin (\(String(cString: strerror(errno))))")
        }
        directory = String(cString: made)
        path = directory + "/stdin"
        let output = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else {
            throw CommandFailure(message: "cannot create \(path) (\(String(cString: strerror(errno))))")
        }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = read(STDIN_FILENO, &buffer, buffer.count)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                remove()
                throw CommandFailure(message: "-: cannot read stdin (\(reason))")
            }
            var written = 0
            while written < count {
                let result = buffer[written..<count].withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
                if result < 0 {
                    if errno == EINTR { continue }
                    let reason = String(cString: strerror(errno))
                    remove()
                    throw CommandFailure(message: "cannot keep stdin in \(path) (\(reason))")
                }
                written += result
            }
        }
    }

    /// `text` with the temporary file named as the user named it: `-`.
    func named(_ text: String) -> String {
        text.replacingOccurrences(of: path, with: "-")
    }

    func remove() {
        unlink(path)
        rmdir(directory)
    }
}
