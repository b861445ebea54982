#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creating the state directory and file with owner-only permissions: the state holds
/// principals' names and IP addresses.
enum StateFiles {
    /// Creates the directory holding `path` and any missing parents, each `0700`.
    /// Directories that already exist are left as they are.
    static func createDirectory(containing path: String) throws(StoreError) {
        guard let slash = path.lastIndex(of: "/") else { return }
        let directory = String(path[..<slash])
        guard !directory.isEmpty else { return }
        var prefix = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw StoreError.cannotOpen(path: path, detail: "cannot create directory \(prefix): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Creates an empty file `0600` (before SQLite does, with the process umask); SQLite gives
    /// its `-wal` and `-shm` files the same mode.
    static func createFile(at path: String) throws(StoreError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor < 0 {
            if errno == EEXIST { return }
            let reason = String(cString: strerror(errno))
            if errno == EROFS || errno == EACCES { throw StoreError.readOnly(path: path, detail: reason) }
            throw StoreError.cannotOpen(path: path, detail: reason)
        }
        fchmod(descriptor, 0o600)  // the umask may have taken bits away, never added them
        close(descriptor)
    }

    /// Whether the file exists and holds nothing yet (just created, by `createFile` or before a
    /// crash): SQLite has written nothing there that a power cut could lose.
    static func isEmpty(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_size == 0
    }

    /// Makes the file's contents and its name in its directory durable (`fsync` of both): a new
    /// state file is set up without SQLite's own `fsync`s (`AlertStore`), then made durable
    /// here with two, before anything is reported as saved in it.
    static func synchronize(_ path: String) throws(StoreError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        for (name, flags) in [(path, O_RDONLY | O_CLOEXEC), (directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)] {
            let descriptor = open(name, flags)
            guard descriptor >= 0, fsync(descriptor) == 0 else {
                let reason = String(cString: strerror(errno))
                if descriptor >= 0 { close(descriptor) }
                throw StoreError.cannotOpen(path: path, detail: "cannot make \(name) durable (fsync): \(reason)")
            }
            close(descriptor)
        }
    }

    /// Whether the file's mode lets its owner (or anyone) write it.
    static func isWritable(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        return status.st_mode & 0o222 != 0 && access(path, W_OK) == 0
    }
}
