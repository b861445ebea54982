#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the rotated generations of a followed path in its directory: the files a log rotator
/// made of it, by rename (`a.log.1`, `a.log.2`, `a.log-20261201`, `a.log.0`, `a-20261201.log`)
/// or by copy (copytruncate), so a follower can finish what it had not read.
///
/// A sibling is a generation when its name is the path's name followed by a suffix that starts
/// with `.`, `-` or `_` and holds a digit (or the name's stem, such a suffix, then the name's
/// extension, as logrotate's `dateext` with `extension` makes); compressed generations (`.gz`,
/// `.xz`, …) are left out, since their bytes are not the log's bytes.
///
/// Generations are recognised by identity (device, inode) when they were renamed, and by the
/// fingerprint of their first bytes when they were copied; they are ordered oldest first by
/// modification time (a generation stops changing when it is rotated away), ties broken by
/// the suffix (a higher number is older, a later date is newer).
///
/// - Important: not thread-safe; a `FileFollower` owns one. Each `generations()` lists the
///   directory once and `stat`s only the names that match, so its cost grows with the
///   directory's entries; the follower calls it only when the path's file changed.
struct RotatedFileFinder {
    /// A file's identity: rename keeps it, copy does not.
    struct Identity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// A generation found in the directory.
    struct Generation {
        var path: String
        var identity: Identity
        var size: Int64
        /// Last modification, in nanoseconds since the epoch.
        var modified: Int64
        /// Orders generations of equal modification time: higher is newer.
        var suffixRank: SuffixRank

        /// Oldest first: by modification time, then by suffix, then by name.
        static func isOlder(_ lhs: Generation, than rhs: Generation) -> Bool {
            if lhs.modified != rhs.modified { return lhs.modified < rhs.modified }
            if lhs.suffixRank != rhs.suffixRank { return lhs.suffixRank < rhs.suffixRank }
            return lhs.path < rhs.path
        }
    }

    /// How a suffix places a generation among others of the same modification time.
    enum SuffixRank: Comparable {
        /// `.N`: logrotate's numbering, where `.1` is the newest; stored negated.
        case numbered(Int)
        /// Anything else (dates): later sorts newer.
        case named(String)

        static func < (lhs: SuffixRank, rhs: SuffixRank) -> Bool {
            switch (lhs, rhs) {
            case let (.numbered(left), .numbered(right)): return left < right
            case let (.named(left), .named(right)): return left < right
            case (.numbered, .named): return true
            case (.named, .numbered): return false
            }
        }
    }

    /// Extensions of compressed generations, never read.
    static let compressedExtensions: Set<String> = ["gz", "bz2", "xz", "zst", "lz4", "lz", "lzma", "lzo", "z", "zip", "br", "7z", "sz"]

    let path: String
    private let directory: String
    private let name: String
    /// The name without its last extension (`a` for `a.log`), and that extension with its dot.
    private let stem: String
    private let fileExtension: String

    init(path: String) {
        self.path = path
        if let slash = path.lastIndex(of: "/") {
            let parent = String(path[..<slash])
            directory = parent.isEmpty ? "/" : parent
            name = String(path[path.index(after: slash)...])
        } else {
            directory = "."
            name = path
        }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            stem = String(name[..<dot])
            fileExtension = String(name[dot...])
        } else {
            stem = name
            fileExtension = ""
        }
    }

    /// The generations present now, oldest first; the path itself is not one of them.
    func generations() -> [Generation] {
        guard let stream = opendir(directory) else { return [] }
        var found: [Generation] = []
        while let entry = readdir(stream) {
            let entryName = DirectoryEntry(entry).name
            guard let rank = suffixRank(of: entryName) else { continue }
            let entryPath = directory == "/" ? "/" + entryName : directory + "/" + entryName
            var status = stat()
            guard stat(entryPath, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
            found.append(Generation(
                path: entryPath, identity: Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino)),
                size: Int64(status.st_size), modified: Self.modificationTime(status), suffixRank: rank))
        }
        closedir(stream)
        return found.sorted(by: Generation.isOlder)
    }

    /// The regular file with `identity` in the directory of the path or in that of the file it
    /// resolves to (a symbolic link's target; the link may have moved to another file since),
    /// whatever its name: where a checkpointed file renamed to a name that is no generation
    /// (`app-1.log` once `current.log` points to `app-2.log`) still is. Lists those
    /// directories once and `stat`s their entries (`d_ino` is not `st_ino` on every file
    /// system, overlayfs for one): for a restart whose file left the path, once.
    func file(withIdentity identity: Identity) -> Generation? {
        var directories = [directory]
        if let resolved = realpath(path, nil) {
            let target = String(cString: resolved)
            free(resolved)
            if let slash = target.lastIndex(of: "/") {
                let parent = String(target[..<slash])
                let targetDirectory = parent.isEmpty ? "/" : parent
                if !directories.contains(targetDirectory) { directories.append(targetDirectory) }
            }
        }
        for listed in directories {
            guard let stream = opendir(listed) else { continue }
            defer { closedir(stream) }
            while let entry = readdir(stream) {
                let entryName = DirectoryEntry(entry).name
                let entryPath = listed == "/" ? "/" + entryName : listed + "/" + entryName
                var status = stat()
                guard lstat(entryPath, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
                      Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino)) == identity else { continue }
                return Generation(
                    path: entryPath, identity: identity, size: Int64(status.st_size), modified: Self.modificationTime(status),
                    suffixRank: suffixRank(of: entryName) ?? .named(entryName))
            }
        }
        return nil
    }

    /// The rank of `entryName` if it names a generation of the path, else nil.
    func suffixRank(of entryName: String) -> SuffixRank? {
        var suffix: Substring
        if entryName.count > name.count, entryName.hasPrefix(name) {
            suffix = entryName.dropFirst(name.count)
        } else if !fileExtension.isEmpty, entryName.hasPrefix(stem), entryName.hasSuffix(fileExtension),
                  entryName.count > stem.count + fileExtension.count {
            suffix = entryName.dropFirst(stem.count).dropLast(fileExtension.count)
        } else {
            return nil
        }
        guard let first = suffix.first, first == "." || first == "-" || first == "_" else { return nil }
        guard suffix.contains(where: \.isASCIIDigit),
              suffix.allSatisfy({ $0.isASCIIDigit || $0.isASCIILetter || $0 == "." || $0 == "-" || $0 == "_" }) else { return nil }
        if let lastDot = entryName.lastIndex(of: "."),
           Self.compressedExtensions.contains(entryName[entryName.index(after: lastDot)...].lowercased()) {
            return nil
        }
        suffix = suffix.dropFirst()
        if first == ".", let number = Int(suffix) { return .numbered(-number) }
        return .named(String(suffix))
    }

    /// The fingerprint of the file at `path` (see `fingerprint(descriptor:length:)`).
    static func fingerprint(of path: String, length: Int) -> FileFingerprint? {
        guard length > 0 else { return FileFingerprint() }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { _ = close(descriptor) }
        return fingerprint(descriptor: descriptor, length: length)
    }

    /// The fingerprint of the first `length` bytes of a file after any leading zeros, or nil
    /// when it has fewer or cannot be read. Zeros are skipped because a writer that does not
    /// append leaves a hole at the start after copytruncate: the bytes after it identify the
    /// contents (and change at the next copytruncate, when the hole grows), and a copy made
    /// of such a file starts with the same zeros then the same bytes.
    static func fingerprint(descriptor: Int32, length: Int) -> FileFingerprint? {
        guard length > 0 else { return FileFingerprint() }
        guard var bytes = read(descriptor, at: 0, count: length), bytes.count == length else { return nil }
        if bytes[0] == 0 {
            let start = leadingZeroLength(descriptor)
            guard let shifted = read(descriptor, at: start, count: length), shifted.count == length else { return nil }
            bytes = shifted
        }
        return bytes.withUnsafeBytes { FileFingerprint(of: $0) }
    }

    /// How many bytes at the start of the file are zero (a sparse hole costs no disk I/O).
    static func leadingZeroLength(_ descriptor: Int32) -> Int64 {
        var position: Int64 = 0
        // A sparse hole is skipped without reading it where the file system says where data
        // begins (SEEK_DATA); the zeros before the first data block are then scanned.
        let data = lseek(descriptor, 0, seekData)
        if data > 0 {
            position = Int64(data)
        } else if data < 0, errno == ENXIO {
            var status = stat()
            return fstat(descriptor, &status) == 0 ? Int64(status.st_size) : 0  // all hole
        }
        var step = 4096  // most files start with a record: one small read says so
        while let bytes = read(descriptor, at: position, count: step), !bytes.isEmpty {
            if let index = bytes.firstIndex(where: { $0 != 0 }) { return position + Int64(index) }
            position += Int64(bytes.count)
            step = 1 << 20
        }
        return position
    }

    /// `pread` of up to `count` bytes at `position`; nil on error, fewer at the end.
    static func read(_ descriptor: Int32, at position: Int64, count: Int) -> [UInt8]? {
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var total = 0
            while total < count {
                let result = pread(descriptor, buffer.baseAddress.map { $0 + total }, count - total, off_t(position) + off_t(total))
                if result < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    break
                }
                if result == 0 { break }
                total += result
            }
            initialized = total
        }
        return failed ? nil : bytes
    }

    /// `st_mtim` in nanoseconds since the epoch.
    static func modificationTime(_ status: stat) -> Int64 {
        #if canImport(Darwin)
        return Int64(status.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(status.st_mtimespec.tv_nsec)
        #else
        return Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        #endif
    }
}

/// `SEEK_DATA`, which the C module does not export (a GNU extension).
#if canImport(Darwin)
private let seekData: Int32 = 4
#else
private let seekData: Int32 = 3
#endif

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
    fileprivate var isASCIILetter: Bool { isASCII && isLetter }
}
