#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Inputs read under another path than their checkpoints': an export folder moved or renamed,
/// a share mounted under another path, a blob tree synced to a new root, a file renamed by hand,
/// a copy made for another machine. Checkpoints are keyed by path, so without this such a file
/// is a new source read from its start, and the records of weeks before come again, late or out
/// of range, and are judged again (the 18th sweep: 30 new alerts over a copied folder).
///
/// The one place that decides, at a run's start: an input with no checkpoint of its own adopts
/// a saved checkpoint whose path is not among the run's inputs and whose file it holds: the same
/// first bytes (the fingerprint, up to 1 KiB) and the same bytes before the checkpoint's offset
/// (`Checkpoint.precedingBytes`), at least as long as the offset: the test a file replaced by a
/// rename already passes (`FileFollower.holdsWhatWasRead`). It reads on from the offset, with the
/// line, the events to skip and the source's clock the checkpoint carries. A checkpoint without
/// the bytes before its offset (an older state file) is adopted only when its first bytes cover
/// all that was read. So a file rewritten or truncated that happens to start the same is never
/// adopted past what it holds.
///
/// Ambiguity: a checkpoint is adopted once at most. Among the checkpoints an input holds, those
/// whose path ends with the most of the input's path components win (the same file name, then
/// the same folders: blobs are all `PT1H.json`); checkpoints that would resume at the same place
/// (identical files read as far) are one choice. An input adopts only its one best checkpoint when
/// it is also the checkpoint's one best input. Otherwise (two folders holding the same copies both
/// read, identical files renamed) it is read from its start, and that is said: its records read
/// before come again (duplicates within 48 hours are recognised as such).
///
/// - Complexity: nothing when every input has its checkpoint or no checkpoint is left over; else
///   one open and a read of at most 1 KiB per input without one, and one of 1 KiB per candidate.
public struct CheckpointAdoption: Sendable, Hashable {
    /// An input that resumes from another path's checkpoint.
    public struct Adoption: Sendable, Hashable {
        /// The checkpoint under the input's path, of the input's file (device and inode), so the
        /// follower resumes it as its own.
        public var checkpoint: FileFollower.Checkpoint
        /// The path the checkpoint was saved under.
        public var previousPath: String
        /// The previous path names nothing any more (moved, renamed): its checkpoint can be
        /// forgotten. Otherwise (copied) it is kept, for the original read again later.
        public var previousPathIsGone: Bool

        /// The line said on stderr (and kept for the dashboard), without the input's path.
        public var summary: String {
            "resumed from the checkpoint of \(previousPath) (\(previousPathIsGone ? "moved" : "copied")): "
                + "read on from byte \(checkpoint.offset), line \(checkpoint.line)"
        }
    }

    /// An input that holds what was read of a file under another path, read from its start
    /// because which checkpoint it carries on from cannot be told.
    public struct Undecided: Sendable, Hashable {
        public var path: String
        /// The paths of the checkpoints it holds.
        public var previousPaths: [String]
        /// Other inputs holding one of them as well.
        public var rivals: [String]

        public var summary: String {
            let held = previousPaths.count == 1 ? previousPaths[0] : previousPaths.joined(separator: ", ")
            let why = rivals.isEmpty
                ? (previousPaths.count == 1 ? "already resumed by another input" : "which one cannot be told")
                : "as \(rivals.joined(separator: ", ")) \(rivals.count == 1 ? "does" : "do"): which one carries on cannot be told"
            return "holds what an earlier run read of \(held), \(why): read from its start, so those records come again "
                + "(duplicates within 48 hours are recognised)"
        }
    }

    public var adoptions: [Adoption] = []
    public var undecided: [Undecided] = []

    public init() {}

    /// What to say, grouped so that a tree of thousands of blobs moved to a new root is one line:
    /// inputs whose paths differ from their checkpoints' only before the same tail (the files'
    /// names and the folders under the root) are one line per pair of folders, with their count
    /// (`copy/…: 17 files resumed from the checkpoints of the same files under export/… (copied)`);
    /// the others one line each, the first `individualLines` of them, then how many more.
    /// - Returns: (source, reason) pairs, for `InputProblem`s of line 0.
    public func lines(individualLines: Int = 3) -> [(source: String, reason: String)] {
        var lines: [(source: String, reason: String)] = []
        var single: [(source: String, reason: String)] = []
        // Adoptions by (input folder, checkpoint folder, moved), in the order first met.
        var groups: [String: Int] = [:]
        var grouped: [(new: String, old: String, gone: Bool, members: [Adoption])] = []
        for adoption in adoptions {
            let (new, old) = Self.differingHeads(adoption.checkpoint.path, adoption.previousPath)
            let key = "\(new)\u{0}\(old)\u{0}\(adoption.previousPathIsGone)"
            if let index = groups[key] {
                grouped[index].members.append(adoption)
            } else {
                groups[key] = grouped.count
                grouped.append((new, old, adoption.previousPathIsGone, [adoption]))
            }
        }
        for group in grouped {
            guard group.members.count > 1 else {
                single.append((group.members[0].checkpoint.path, group.members[0].summary))
                continue
            }
            lines.append((
                "\(group.new)/…",
                "\(group.members.count) files resumed from the checkpoints of the same files under \(group.old)/… "
                    + "(\(group.gone ? "moved" : "copied"))"))
        }
        var undecidedGroups: [String: Int] = [:]
        var undecidedGrouped: [(new: String, old: String, members: [Undecided])] = []
        for input in undecided {
            let (new, old) = Self.differingHeads(input.path, input.previousPaths.first ?? "")
            let key = "\(new)\u{0}\(old)"
            if let index = undecidedGroups[key] {
                undecidedGrouped[index].members.append(input)
            } else {
                undecidedGroups[key] = undecidedGrouped.count
                undecidedGrouped.append((new, old, [input]))
            }
        }
        for group in undecidedGrouped {
            guard group.members.count > 1 else {
                single.append((group.members[0].path, group.members[0].summary))
                continue
            }
            let rivals = Set(group.members.flatMap(\.rivals)).sorted()
            let why = rivals.isEmpty ? "which one carries on cannot be told" : "as other inputs do (\(rivals[0]) and more): which one carries on cannot be told"
            lines.append((
                "\(group.new)/…",
                "\(group.members.count) files hold what an earlier run read of the same files under \(group.old)/…, \(why): "
                    + "read from their start, so those records come again (duplicates within 48 hours are recognised)"))
        }
        lines += single.prefix(individualLines)
        if single.count > individualLines {
            lines.append(("vaultwatch", "and \(single.count - individualLines) more files resumed from, or holding, the checkpoints of other paths"))
        }
        return lines
    }

    /// The parts of two paths before the path components they share from the end (the folders
    /// that differ), or the whole paths when they share no component (a file renamed).
    static func differingHeads(_ first: String, _ second: String) -> (String, String) {
        let shared = sharedTail(first, second)
        guard shared > 0 else { return (first, second) }
        func head(_ path: String) -> String {
            let components = path.split(separator: "/", omittingEmptySubsequences: false)
            let kept = components.dropLast(shared).joined(separator: "/")
            return kept.isEmpty ? (path.hasPrefix("/") ? "/" : ".") : kept
        }
        return (head(first), head(second))
    }

    /// Matches the `inputs` (the run's files and blobs, in order) that have no checkpoint in
    /// `saved` with the checkpoints of `saved` whose path is not among `inputs`.
    public static func matching(inputs: [String], saved: [String: FileFollower.Checkpoint]) -> CheckpointAdoption {
        var result = CheckpointAdoption()
        let inputSet = Set(inputs)
        let orphans = saved.values.filter {
            !inputSet.contains($0.path) && $0.offset > 0 && $0.fingerprint.length > 0
        }.sorted { $0.path < $1.path }
        var seenInputs = Set<String>()
        let newInputs = inputs.filter { saved[$0] == nil && seenInputs.insert($0).inserted }
        guard !orphans.isEmpty, !newInputs.isEmpty else { return result }

        var byPrint: [FileFingerprint: [Int]] = [:]
        for (index, checkpoint) in orphans.enumerated() { byPrint[checkpoint.fingerprint, default: []].append(index) }
        let lengths = Set(orphans.map(\.fingerprint.length)).sorted()

        // Every (input, checkpoint) pair where the input holds the checkpoint's file, scored.
        var candidates: [[(orphan: Int, score: Int)]] = Array(repeating: [], count: newInputs.count)
        var holders: [[(input: Int, score: Int)]] = Array(repeating: [], count: orphans.count)
        var identities: [FileFollower.Identity?] = Array(repeating: nil, count: newInputs.count)
        for (inputIndex, path) in newInputs.enumerated() {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { _ = close(fd) }
            var status = stat()
            guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
            let size = Int64(status.st_size)
            identities[inputIndex] = FileFollower.identity(of: status)
            for orphanIndex in Self.sameFirstBytes(fd, lengths: lengths, index: byPrint) {
                let checkpoint = orphans[orphanIndex]
                guard size >= checkpoint.offset, Self.holdsWhatWasRead(checkpoint, descriptor: fd) else { continue }
                let score = Self.sharedTail(path, checkpoint.path)
                candidates[inputIndex].append((orphanIndex, score))
                holders[orphanIndex].append((inputIndex, score))
            }
        }

        // Mutual best choices, until none is left: a choice made can settle another.
        var adoptedBy: [Int: Int] = [:]  // orphan -> input
        var adopted: [Int: Int] = [:]  // input -> orphan
        var progress = true
        while progress {
            progress = false
            for inputIndex in newInputs.indices where adopted[inputIndex] == nil {
                let remaining = candidates[inputIndex].filter { adoptedBy[$0.orphan] == nil }
                guard let bestScore = remaining.map(\.score).max() else { continue }
                // Of the checkpoints it holds, the furthest: the input holds the bytes before each
                // offset, so the records up to the furthest were all read (a folder moved twice, or
                // copied from a copy read further: the older paths' checkpoints are behind).
                let best = remaining.filter { $0.score == bestScore }.map(\.orphan)
                let furthest = best.map { orphans[$0].offset }.max() ?? 0
                let top = best.filter { orphans[$0].offset == furthest }
                // Checkpoints that resume at the same place are one choice (identical copies).
                let first = orphans[top[0]]
                guard top.allSatisfy({ Self.samePlace(orphans[$0], first) }) else { continue }
                // Of those, the one whose path names nothing any more (the folder moved, the
                // others copied from it), so that its checkpoint is the one forgotten; else one
                // that knows the source's clock there.
                let choice = top.first { Self.isGone(orphans[$0].path) } ?? top.first { orphans[$0].clock != nil } ?? top[0]
                let rivals = holders[choice].filter { adopted[$0.input] == nil }
                guard let rivalBest = rivals.map(\.score).max(), rivals.filter({ $0.score == rivalBest }).map(\.input) == [inputIndex] else {
                    continue
                }
                adopted[inputIndex] = choice
                adoptedBy[choice] = inputIndex
                progress = true
            }
        }

        for inputIndex in newInputs.indices {
            let path = newInputs[inputIndex]
            if let choice = adopted[inputIndex], let identity = identities[inputIndex] {
                var checkpoint = orphans[choice]
                let previousPath = checkpoint.path
                checkpoint.path = path
                checkpoint.device = identity.device
                checkpoint.inode = identity.inode
                if checkpoint.clock?.lateRun?.source == previousPath { checkpoint.clock?.lateRun?.source = path }
                result.adoptions.append(Adoption(checkpoint: checkpoint, previousPath: previousPath, previousPathIsGone: Self.isGone(previousPath)))
            } else if !candidates[inputIndex].isEmpty {
                let held = candidates[inputIndex].map(\.orphan)
                var rivals: [String] = []
                for orphan in held {
                    for holder in holders[orphan] where holder.input != inputIndex && !rivals.contains(newInputs[holder.input]) {
                        rivals.append(newInputs[holder.input])
                    }
                }
                result.undecided.append(Undecided(path: path, previousPaths: held.map { orphans[$0].path }, rivals: rivals))
            }
        }
        return result
    }

    /// The checkpoints (indices) whose first bytes `fd` starts with: one read of at most 1 KiB
    /// after any hole of zeros (as `RotatedFileFinder.fingerprint`), hashed once, looked up at
    /// each length the checkpoints have.
    static func sameFirstBytes(_ fd: Int32, lengths: [Int], index: [FileFingerprint: [Int]]) -> [Int] {
        guard let longest = lengths.last, longest > 0 else { return [] }
        var start: Int64 = 0
        guard var bytes = RotatedFileFinder.read(fd, at: 0, count: longest), !bytes.isEmpty else { return [] }
        if bytes[0] == 0 {
            start = RotatedFileFinder.leadingZeroLength(fd)
            guard let shifted = RotatedFileFinder.read(fd, at: start, count: longest) else { return [] }
            bytes = shifted
        }
        var print = FileFingerprint()
        var hashed = 0
        var found: [Int] = []
        for length in lengths where length > 0 && length <= bytes.count {
            bytes[hashed..<length].withUnsafeBytes { print.extend(with: $0) }
            hashed = length
            found += index[print] ?? []
        }
        return found
    }

    /// Whether `fd` holds, before the checkpoint's offset, the bytes read there; without their
    /// hash (an older state file), only when the first bytes covered all that was read.
    static func holdsWhatWasRead(_ checkpoint: FileFollower.Checkpoint, descriptor fd: Int32) -> Bool {
        guard let expected = checkpoint.precedingBytes else { return Int64(checkpoint.fingerprint.length) >= checkpoint.offset }
        return FileFollower.precedingBytes(before: checkpoint.offset, descriptor: fd) == expected
    }

    /// Whether `path` names nothing (not a file that cannot be read now: a share unmounted names
    /// nothing as well, and its checkpoint is then the adopted one's to carry on).
    static func isGone(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) != 0 && (errno == ENOENT || errno == ENOTDIR)
    }

    /// How many path components, from the last, two paths share (the file name, then its folders).
    static func sharedTail(_ first: String, _ second: String) -> Int {
        let a = first.split(separator: "/")
        let b = second.split(separator: "/")
        var count = 0
        while count < min(a.count, b.count), a[a.count - 1 - count] == b[b.count - 1 - count] { count += 1 }
        return count
    }

    /// Whether two checkpoints resume at the same place in files that hold the same bytes there.
    /// Their clocks are not compared: the same records were read up to there (the late run's
    /// source names the path, and a position saved again by a run that read nothing new after a
    /// cut may know no clock: copies of a folder read at each run, 6 December's sweep).
    static func samePlace(_ first: FileFollower.Checkpoint, _ second: FileFollower.Checkpoint) -> Bool {
        first.offset == second.offset && first.line == second.line && first.skipEvents == second.skipEvents
            && first.fingerprint == second.fingerprint && first.precedingBytes == second.precedingBytes
    }
}
