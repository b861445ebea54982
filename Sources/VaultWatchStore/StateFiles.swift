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
    /// its `-wal` and `-shm` files the same mode. Failures name the state file `name`.
    static func createFile(at path: String, named name: String) throws(StoreError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor < 0 {
            if errno == EEXIST { return }
            let reason = String(cString: strerror(errno))
            if errno == EROFS || errno == EACCES { throw StoreError.readOnly(path: name, detail: reason) }
            throw StoreError.cannotOpen(path: name, detail: reason)
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
        try flush(path, O_RDONLY | O_CLOEXEC, for: path)
        try flush(directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC, for: path)
    }

    /// Makes the file at `staged` durable, then renames it over `path` and makes the rename
    /// durable (`fsync` of the directory): a power cut leaves either no file at `path` or the
    /// whole of `staged` (`NewFileSetUp`). A `-wal` or `-shm` left at `path` without its file
    /// (a file deleted by hand after a crash) is removed first, so that SQLite does not read it
    /// as the log of the file renamed in.
    static func renameIn(_ staged: String, as path: String) throws(StoreError) {
        try flush(staged, O_RDONLY | O_CLOEXEC, for: path)
        for companion in [path + "-wal", path + "-shm"] where unlink(companion) != 0 && errno != ENOENT {
            throw StoreError.cannotOpen(path: path, detail: "cannot remove \(companion), left without its file: \(String(cString: strerror(errno)))")
        }
        guard rename(staged, path) == 0 else {
            let reason = String(cString: strerror(errno))
            if errno == EROFS || errno == EACCES { throw StoreError.readOnly(path: path, detail: "cannot rename \(staged) to it: \(reason)") }
            throw StoreError.cannotOpen(path: path, detail: "cannot rename \(staged) to it: \(reason)")
        }
        try flush(directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC, for: path)
    }

    /// Whether nothing at all is at `path`, not even a symbolic link to a missing file (which a
    /// rename would replace rather than follow).
    static func nothingAt(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) != 0 && errno == ENOENT
    }

    private static func directory(of path: String) -> String {
        let slash = path.lastIndex(of: "/")
        return slash.map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
    }

    /// `fsync` of `name`, opened with `flags`; failures name the state file `path`.
    private static func flush(_ name: String, _ flags: Int32, for path: String) throws(StoreError) {
        let descriptor = open(name, flags)
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            if descriptor >= 0 { close(descriptor) }
            throw StoreError.cannotOpen(path: path, detail: "cannot make \(name) durable (fsync): \(reason)")
        }
        close(descriptor)
    }

    /// Whether the file's mode lets its owner (or anyone) write it.
    static func isWritable(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        return status.st_mode & 0o222 != 0 && access(path, W_OK) == 0
    }
}
