import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A named pipe (FIFO) made at `path` and fed from a thread of its own: the writer opens it
/// (which blocks until a reader opens the other end), writes `text` whole, then closes it at
/// once, or, with `holdsOpen`, only when `close()` is called, so a reader sees a stream that has
/// not ended for as long as the test needs, without any timing.
public final class NamedPipeWriter: Sendable {
    public let path: String
    private let release: DispatchSemaphore?

    /// - Throws: `POSIXError` when the pipe cannot be made.
    public init(path: String, text: String, holdsOpen: Bool = false) throws {
        self.path = path
        guard mkfifo(path, 0o600) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let release = holdsOpen ? DispatchSemaphore(value: 0) : nil
        self.release = release
        Thread.detachNewThread {
            let descriptor = open(path, O_WRONLY)
            guard descriptor >= 0 else { return }
            let bytes = Array(text.utf8)
            var written = 0
            while written < bytes.count {
                let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                written += count
            }
            release?.wait()
            closeDescriptor(descriptor)
        }
    }

    /// Ends the stream (with `holdsOpen`; without it the writer has closed it already).
    public func close() { release?.signal() }
}

/// `close(2)`, out of reach of `NamedPipeWriter.close()` inside the class.
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
