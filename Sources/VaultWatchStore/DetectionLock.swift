#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock (`flock`) on `STATE.lock` held by the one detection run writing a state
/// file; the file holds the holder's pid for the message a second run prints.
///
/// The kernel drops the lock when the process ends, even by `kill -9`: no stale lock survives.
/// A separate file, because closing any descriptor of the database itself would drop SQLite's
/// own POSIX locks.
final class DetectionLock: Sendable {
    private let descriptor: Int32

    init(statePath: String) throws(StoreError) {
        let lockPath = statePath + ".lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            if errno == EROFS || errno == EACCES {
                throw StoreError.readOnly(path: statePath, detail: "cannot create \(lockPath): \(reason)")
            }
            throw StoreError.cannotOpen(path: statePath, detail: "cannot create \(lockPath): \(reason)")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(descriptor, &buffer, buffer.count, 0)
            close(descriptor)
            let holder = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self).filter(\.isNumber) : ""
            throw StoreError.inUse(path: statePath, holder: holder.isEmpty ? nil : holder)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.descriptor = descriptor
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
