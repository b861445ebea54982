#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory tree of Azure storage blobs (`…/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json`, with one
/// `resourceId=/SUBSCRIPTIONS/…/VAULTS/NAME/` folder per vault above), listed in event-time
/// order and rescanned for blobs that appear later.
///
/// Order: hourly blobs first, by the hour in their path (year, month, day, hour, minute), then
/// by path, so hour 10 of every vault comes before hour 11 of any; then any other `.json` or
/// `.jsonl` file of the tree, by path. `scanForNewFiles()` returns only files not returned
/// before, in the same order, so a caller reading them in turn reads each file once. The set
/// of returned paths grows with the tree (a path per blob) until `forgetHours(before:)` drops
/// the old hours' blobs that the caller `settle`s: those are watched for changes by the same
/// scans, which `stat` them and no other blob (`takeChangedSettledBlobs()`). A blob of an old
/// hour that is neither returned before nor settled is new, whatever its hour, and returned.
///
/// Once hours are forgotten, one scan in `wholeListingEvery` lists the whole tree and the others
/// skip the folders whose hours are all forgotten (`y=`, `m=`, `d=`, `h=` say which): a tree of
/// Azure's layout followed for a month holds a folder per vault, day and hour, and listing them
/// all every 5 s cost more CPU than reading what was written (0.70 s a scan for 35,088 blobs).
/// What appears there late (a blob first written when its hour is long over, an append to a
/// settled blob) is found by the next whole listing: later, never lost.
///
/// A whole listing also says which blobs are gone (retention deleted their hour): those it knew
/// (returned, settled, or read by an earlier run: `init`'s `readBefore`) that it no longer lists,
/// handed over once by `takeGoneBlobs()`, so that a state file forgets their positions without a
/// `stat` of its own per blob. Only a listing that listed the whole tree says so: none with a
/// directory that could not be listed, nor while the root lists nothing (unmounted, moved).
///
/// - Important: not thread-safe; one owner. A whole listing lists every directory of the tree
///   (cost grows with the number of directories and settled blobs); symbolic links are followed,
///   each directory is visited once per scan.
public struct BlobDirectory {
    /// A file of the tree, with the hour its path names (nil for a file that is not an hourly blob).
    public struct Blob: Sendable, Hashable, Comparable {
        /// The root as the user gave it, joined with the path inside the tree: the name its
        /// records are reported under.
        public var path: String
        public var hour: Hour?

        public init(path: String, hour: Hour?) {
            self.path = path
            self.hour = hour
        }

        public static func < (lhs: Blob, rhs: Blob) -> Bool {
            switch (lhs.hour, rhs.hour) {
            case let (left?, right?): return left != right ? left < right : lhs.path < rhs.path
            case (.some, .none): return true
            case (.none, .some): return false
            case (.none, .none): return lhs.path < rhs.path
            }
        }
    }

    /// The hour (UTC) an hourly blob's path names.
    public struct Hour: Sendable, Hashable, Comparable {
        public var year: Int
        public var month: Int
        public var day: Int
        public var hour: Int
        public var minute: Int

        public init(year: Int, month: Int, day: Int, hour: Int, minute: Int = 0) {
            self.year = year
            self.month = month
            self.day = day
            self.hour = hour
            self.minute = minute
        }

        private var key: (Int, Int, Int, Int, Int) { (year, month, day, hour, minute) }

        public static func < (lhs: Hour, rhs: Hour) -> Bool { lhs.key < rhs.key }

        /// Hours since 1970-01-01T00 (civil calendar), to compare distances between hours.
        public var hoursSinceEpoch: Int {
            // Days from civil (Howard Hinnant's algorithm).
            let shiftedYear = month <= 2 ? year - 1 : year
            let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
            let yearOfEra = shiftedYear - era * 400
            let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            let days = era * 146_097 + dayOfEra - 719_468
            return days * 24 + hour
        }

        /// The hour named by the components of a blob path (`y=2024`, `m=05`, `d=01`, `h=13`,
        /// `m=00`, `PT1H.json`), or nil when the path is not an hourly blob.
        public init?(pathComponents: [Substring]) {
            guard let fileName = pathComponents.last, fileName == "PT1H.json" else { return nil }
            var values: [Character: [Int]] = [:]
            for component in pathComponents.dropLast() {
                guard component.count >= 3, let key = component.first, component.dropFirst().first == "=",
                      "ymdh".contains(key), let value = Int(component.dropFirst(2)) else { continue }
                values[key, default: []].append(value)
            }
            guard let year = values["y"]?.last, let months = values["m"], let month = months.first,
                  let day = values["d"]?.last, let hour = values["h"]?.last,
                  (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour) else { return nil }
            self.init(year: year, month: month, day: day, hour: hour, minute: months.count > 1 ? months[months.count - 1] : 0)
        }

        /// The last hour (hours since 1970) a folder of the tree can hold, from the `y=`, `m=`,
        /// `d=` and `h=` components of its path (`…/y=2024/m=05` holds hours up to 31 May 23:00;
        /// a month's day 31 is an upper bound, never too early); nil when its path names no year
        /// (a vault's folder, a tree of another layout): it may hold any hour.
        public static func lastHour(ofFolder components: [Substring]) -> Int? {
            var year: Int?
            var month: Int?
            var day: Int?
            var hour: Int?
            for component in components {
                guard component.count >= 3, let key = component.first, component.dropFirst().first == "=",
                      let value = Int(component.dropFirst(2)) else { continue }
                switch key {
                case "y": year = value
                case "m" where month == nil: month = value
                case "d": day = value
                case "h": hour = value
                default: break
                }
            }
            guard let year else { return nil }
            guard let month else { return Hour(year: year, month: 12, day: 31, hour: 23).hoursSinceEpoch }
            guard (1...12).contains(month) else { return nil }
            guard let day else { return Hour(year: year, month: month, day: 31, hour: 23).hoursSinceEpoch }
            guard (1...31).contains(day) else { return nil }
            guard let hour, (0...23).contains(hour) else { return Hour(year: year, month: month, day: day, hour: 23).hoursSinceEpoch }
            return Hour(year: year, month: month, day: day, hour: hour).hoursSinceEpoch
        }
    }

    /// The directory as the user gave it.
    public let root: String
    /// Paths returned so far, with the hour their path names (hours since 1970; `Int.max` for
    /// files that are not hourly blobs), but those of forgotten hours that are settled (the
    /// caller is done with them: `settled` knows them).
    private var returned: [String: Int] = [:]
    /// Hourly blobs before this hour are remembered only while the caller holds them (not settled).
    private var forgottenBefore = Int.min
    /// Blobs no longer followed nor re-checked (their hour is long over) but still on disk, with
    /// where reading stopped in each (`settle`): a scan, which lists every directory anyway,
    /// `stat`s them (and no other blob) to find those changed since (Azure appending to an old
    /// hour's blob).
    private var settled: [String: FileFollower.Checkpoint] = [:]
    /// Settled blobs the last scans found changed, with their checkpoints (`takeChangedSettledBlobs`).
    private var changedSettled: [(blob: Blob, checkpoint: FileFollower.Checkpoint)] = []
    /// One scan in this many lists the whole tree once hours are forgotten (12: a minute at a
    /// follow's scan every 5 s); the others skip the forgotten hours' folders.
    public let wholeListingEvery: Int
    /// Scans since the last whole listing.
    private var scansSinceWholeListing = 0
    /// The directories the last whole listing could not list: a scan that skips some of the tree
    /// still names those it skipped, so that a caller reporting each error once does not report
    /// them again at each whole listing.
    private var wholeListingErrors: [IngestionError] = []
    /// Paths under the tree an earlier run read (its saved positions), until a whole listing says
    /// which of them are still there (those are returned by it, the others gone).
    private var readBefore: Set<String>
    /// Blobs known here that a whole listing no longer listed, not yet taken (`takeGoneBlobs()`).
    private var gone: Set<String> = []

    /// - Parameter readBefore: paths an earlier run read (any; those under `root` are kept): the
    ///   first whole listing names those no longer there as gone.
    public init(root: String, wholeListingEvery: Int = 12, readBefore: some Sequence<String> = [String]()) {
        self.root = root
        self.wholeListingEvery = max(1, wholeListingEvery)
        let prefix = root.hasSuffix("/") ? root : root + "/"
        self.readBefore = Set(readBefore.lazy.filter { $0.hasPrefix(prefix) })
    }

    /// Every file of the tree, in order.
    /// - Throws: `IngestionError.unreadableDirectory` naming the first directory (the root or
    ///   one below it) that cannot be listed.
    public func scan() throws(IngestionError) -> [Blob] {
        var walk = Walk(wantsStatus: { _ in false }, skipsFoldersBefore: nil)
        walk.run(root: root)
        if let error = walk.errors.first { throw error }
        return walk.files.map(\.blob).sorted()
    }

    /// The files not returned by an earlier call, in order, and the directories that could not
    /// be listed this time (their files are picked up by a later call once they can be). Settled
    /// blobs found changed are kept for `takeChangedSettledBlobs()`; settled blobs gone from the
    /// tree are forgotten (unless a directory could not be listed). A blob that first appears
    /// when its hour is long over (a tree copied in vault by vault; scans far apart) is returned
    /// as any new one: before, no blob of a forgotten hour was, and its records were read only by
    /// the next run.
    ///
    /// Only settled blobs are `stat`ed (the modification time says whether Azure appended), and
    /// entries whose kind the listing does not say (links, file systems that give none): a blob
    /// listed before needs nothing more than its name, and a scan of a tree followed for months
    /// otherwise costs a `stat` per blob every 5 seconds. Between whole listings (see the type)
    /// the forgotten hours' folders are not listed at all.
    public mutating func scanForNewFiles() -> (files: [Blob], errors: [IngestionError]) {
        let settled = settled
        let isWhole = forgottenBefore == Int.min || scansSinceWholeListing + 1 >= wholeListingEvery
        scansSinceWholeListing = isWhole ? 0 : scansSinceWholeListing + 1
        var walk = Walk(wantsStatus: { blob in settled[blob.path] != nil }, skipsFoldersBefore: isWhole ? nil : forgottenBefore)
        walk.run(root: root)
        statusReads = walk.statusReads
        directoriesListed = walk.directoriesListed
        let errors: [IngestionError]
        if isWhole {
            wholeListingErrors = walk.errors
            errors = walk.errors
        } else {
            errors = walk.errors + wholeListingErrors.filter { !walk.errors.contains($0) }
        }
        var fresh: [Blob] = []
        var settledListed = 0
        for file in walk.files {
            guard !settled.isEmpty, let checkpoint = settled[file.blob.path] else {
                if returned[file.blob.path] == nil { fresh.append(file.blob) }
                continue
            }
            guard let status = file.status else {
                settledListed += 1
                continue
            }
            // Written since reading stopped: its modification time moved (or, unknown, it grew).
            if checkpoint.modified.map({ $0 != status.modified }) ?? (status.size > checkpoint.offset) {
                changedSettled.append((file.blob, checkpoint))
                self.settled[file.blob.path] = nil
                // The caller holds it again: not new (until settled again).
                returned[file.blob.path] = file.blob.hour?.hoursSinceEpoch ?? Int.max
            } else {
                settledListed += 1
            }
        }
        // Only a whole listing of the whole tree says a blob is gone (the others skip its folder;
        // a root that lists nothing may be unmounted or moved, and its blobs come back).
        if isWhole, walk.errors.isEmpty, walk.rootEntries > 0 {
            let listed = Set(walk.files.lazy.map(\.blob.path))
            for path in returned.keys where !listed.contains(path) { gone.insert(path) }
            for path in self.settled.keys where !listed.contains(path) { gone.insert(path) }
            for path in readBefore where !listed.contains(path) { gone.insert(path) }
            // Those still there are returned by this scan, and known from now on as the others.
            readBefore = []
            if settledListed < self.settled.count { self.settled = self.settled.filter { listed.contains($0.key) } }
        }
        fresh.sort()
        for blob in fresh { returned[blob.path] = blob.hour?.hoursSinceEpoch ?? Int.max }
        return (fresh, errors)
    }

    /// How many files the last `scanForNewFiles()` `stat`ed (settled blobs, and entries whose
    /// kind the listing did not say).
    public private(set) var statusReads = 0

    /// How many directories the last `scanForNewFiles()` listed.
    public private(set) var directoriesListed = 0

    /// Keeps watching a blob of a forgotten hour (or one about to be) for changes, from
    /// `checkpoint` (where reading stopped; its path is the blob's): a later scan that finds it
    /// modified hands it back once through `takeChangedSettledBlobs()`.
    public mutating func settle(_ checkpoint: FileFollower.Checkpoint) {
        settled[checkpoint.path] = checkpoint
        if let hour = returned[checkpoint.path], hour < forgottenBefore { returned[checkpoint.path] = nil }
    }

    /// The settled blobs the scans since the last call found changed, with where reading
    /// stopped in each; they are no longer watched (settle them again once read).
    public mutating func takeChangedSettledBlobs() -> [(blob: Blob, checkpoint: FileFollower.Checkpoint)] {
        defer { changedSettled.removeAll() }
        return changedSettled
    }

    /// The blobs whole listings found gone since the last call: known here (returned, settled, or
    /// read by an earlier run) and no longer listed by a listing of the whole tree. A blob still
    /// there is never among them; one that comes back at the same path is read as its lane or
    /// listing finds it, as before it went.
    public mutating func takeGoneBlobs() -> Set<String> {
        defer { gone.removeAll() }
        return gone
    }

    /// How many blobs of forgotten hours are watched for changes (bounded by the tree on disk).
    public var settledCount: Int { settled.count }

    /// Forgets the hourly blobs of hours before `hour` (hours since 1970) that are settled, and
    /// those settled later as they are: a follower of a tree that grows for months keeps a bounded
    /// list of paths (beside the settled blobs' checkpoints). Settled blobs are handed back when
    /// they change (`takeChangedSettledBlobs()`); a blob of those hours never returned is new.
    public mutating func forgetHours(before hour: Int) {
        guard hour > forgottenBefore else { return }
        forgottenBefore = hour
        returned = returned.filter { $0.value >= hour || settled[$0.key] == nil }
    }

    /// How many paths are remembered (bounded by `forgetHours` and `settle`: the blobs of the
    /// hours not forgotten, and those of forgotten hours the caller holds).
    public var rememberedCount: Int { returned.count }

    /// One walk of the tree: each directory opened from its parent's descriptor and listed once
    /// (symbolic links followed, each directory visited once), names looked up relative to their
    /// directory (`openat`, `fstatat`: no path resolved from the root again), and a file
    /// `stat`ed only when `wantsStatus` asks or when the listing does not say what kind it is.
    private struct Walk {
        /// A file the walk found, with what its `stat` said when it was `stat`ed.
        struct ListedFile {
            var blob: Blob
            var status: (size: Int64, modified: Int64)?
        }

        private struct DirectoryIdentity: Hashable {
            var device: UInt64
            var inode: UInt64
        }

        let wantsStatus: (Blob) -> Bool
        /// Folders whose path says all their hours are before this one (hours since 1970) are
        /// not listed; nil: every folder is.
        let skipsFoldersBefore: Int?
        var files: [ListedFile] = []
        var errors: [IngestionError] = []
        var statusReads = 0
        var directoriesListed = 0
        /// Entries the root lists (but `.` and `..`).
        var rootEntries = 0
        private var visited: Set<DirectoryIdentity> = []

        init(wantsStatus: @escaping (Blob) -> Bool, skipsFoldersBefore: Int?) {
            self.wantsStatus = wantsStatus
            self.skipsFoldersBefore = skipsFoldersBefore
        }

        mutating func run(root: String) {
            let descriptor = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard descriptor >= 0 else {
                errors.append(.unreadableDirectory(path: root, reason: IngestionError.text(errno)))
                return
            }
            list(descriptor, path: root, relative: [])
        }

        /// Lists the directory open as `descriptor` (closing it) and everything below it.
        private mutating func list(_ descriptor: Int32, path directory: String, relative: [Substring]) {
            var status = stat()
            guard fstat(descriptor, &status) == 0 else {
                errors.append(.unreadableDirectory(path: directory, reason: IngestionError.text(errno)))
                close(descriptor)
                return
            }
            guard visited.insert(DirectoryIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))).inserted else {
                close(descriptor)
                return
            }
            guard let stream = fdopendir(descriptor) else {
                errors.append(.unreadableDirectory(path: directory, reason: IngestionError.text(errno)))
                close(descriptor)
                return
            }
            defer { closedir(stream) }
            directoriesListed += 1
            var entries: [(name: String, kind: UInt8)] = []
            while let entry = readdir(stream) {
                let listed = DirectoryEntry(entry)
                if !listed.isSelfOrParent { entries.append((listed.name, listed.kind)) }
            }
            if relative.isEmpty { rootEntries = entries.count }
            let parent = dirfd(stream)
            for (name, listedKind) in entries {
                let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                var kind = listedKind
                var known: (size: Int64, modified: Int64)?
                if kind != UInt8(DT_DIR) && kind != UInt8(DT_REG) {
                    // A link (followed) or a file system that does not say: ask.
                    var status = stat()
                    guard fstatat(parent, name, &status, 0) == 0 else { continue }  // vanished or a dangling link
                    statusReads += 1
                    switch status.st_mode & S_IFMT {
                    case S_IFDIR: kind = UInt8(DT_DIR)
                    case S_IFREG:
                        kind = UInt8(DT_REG)
                        known = (Int64(status.st_size), RotatedFileFinder.modificationTime(status))
                    default: continue
                    }
                }
                if kind == UInt8(DT_DIR) {
                    if let before = skipsFoldersBefore, let last = Hour.lastHour(ofFolder: relative + [Substring(name)]), last < before {
                        continue
                    }
                    let child = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                    guard child >= 0 else {
                        // Vanished since it was listed, or replaced by a file: nothing to list.
                        if errno != ENOENT && errno != ENOTDIR {
                            errors.append(.unreadableDirectory(path: path, reason: IngestionError.text(errno)))
                        }
                        continue
                    }
                    list(child, path: path, relative: relative + [Substring(name)])
                    continue
                }
                let blob: Blob
                if name == "PT1H.json", let hour = Hour(pathComponents: relative + [Substring(name)]) {
                    blob = Blob(path: path, hour: hour)
                } else if name.hasSuffix(".json") || name.hasSuffix(".jsonl") {
                    blob = Blob(path: path, hour: nil)
                } else {
                    continue
                }
                if known == nil, wantsStatus(blob) {
                    var status = stat()
                    guard fstatat(parent, name, &status, 0) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
                    statusReads += 1
                    known = (Int64(status.st_size), RotatedFileFinder.modificationTime(status))
                }
                files.append(ListedFile(blob: blob, status: known))
            }
        }
    }
}
