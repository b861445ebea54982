import Foundation
@testable import VaultWatchCore

/// A log that a test writes and rotates as a writer and logrotate would, one step at a time:
/// numbered lines appended, rotation by rename (`.1`, `.2`, … or dated suffixes), copytruncate,
/// with a retention. It remembers every line written, so a test can check that a follower read
/// each exactly once, in order, or that what it missed was reported.
struct RotatingLog {
    enum Naming {
        /// logrotate's default: `a.log.1` is the newest rotated generation.
        case numbered
        /// `dateext`: `a.log-<stamp>`, a later stamp for a newer generation.
        case dated
    }

    let files: TestFiles
    let name: String
    let naming: Naming
    /// Rotated generations kept; older ones are deleted, as logrotate's `rotate N` does.
    let retention: Int
    /// Lines written so far: line `n` is "line n …".
    private(set) var written = 0
    /// Dated generations in order, oldest first (their names).
    private var dated: [String] = []
    /// Pads lines so a few fill a chunk.
    let padding: String

    init(files: TestFiles, name: String = "audit.log", naming: Naming = .numbered, retention: Int = 50, lineLength: Int = 40) {
        self.files = files
        self.name = name
        self.naming = naming
        self.retention = retention
        padding = String(repeating: "x", count: max(0, lineLength - 16))
    }

    var path: String { files.path(name) }

    static func line(_ number: Int, padding: String) -> String { "line \(number) \(padding)\n" }

    /// Appends `count` lines in one write.
    mutating func append(_ count: Int) throws {
        var text = ""
        for _ in 0..<count {
            written += 1
            text += Self.line(written, padding: padding)
        }
        try files.append(text, to: name)
    }

    /// Counts `count` lines as written by someone else (a writer with its own offset).
    mutating func skip(_ count: Int) { written += count }

    /// The bytes `count` lines starting after line `after` take.
    func byteCount(ofLines range: ClosedRange<Int>) -> Int {
        range.reduce(0) { $0 + Self.line($1, padding: padding).utf8.count }
    }

    /// The follower's checkpoint moved back to the end of the last complete line read, as the
    /// ingestor saves it (a partial line is read again on resume).
    func checkpoint(of follower: FileFollower, after lines: FollowedLines) -> FileFollower.Checkpoint? {
        guard var checkpoint = follower.checkpoint, let last = lines.numbers.last else { return nil }
        checkpoint.offset = Int64(byteCount(ofLines: 1...last))
        return checkpoint
    }

    /// Rotation by rename: generations shift, the log becomes the newest one, and a new empty
    /// log is created (logrotate's `create`). Generations past the retention are deleted.
    mutating func rotateByRename() throws {
        switch naming {
        case .numbered:
            let oldest = files.path("\(name).\(retention)")
            if FileManager.default.fileExists(atPath: oldest) { try files.remove("\(name).\(retention)") }
            for index in stride(from: retention - 1, through: 1, by: -1) where FileManager.default.fileExists(atPath: files.path("\(name).\(index)")) {
                try files.rename("\(name).\(index)", to: "\(name).\(index + 1)")
            }
            try files.rename(name, to: "\(name).1")
        case .dated:
            let stamp = String(format: "%@-2026%06d", name, 120_100 + dated.count)
            try files.rename(name, to: stamp)
            dated.append(stamp)
            while dated.count > retention { try files.remove(dated.removeFirst()) }
        }
        try files.append("", to: name)
    }

    /// The copy half of copytruncate: generations shift and the log is copied to the newest,
    /// in `pieces` writes with `between` called after each but the last (a reader that looks
    /// while the copy is being made sees part of it).
    mutating func copyAside(pieces: Int = 1, between: () throws -> Void = {}) throws {
        let copyName: String
        switch naming {
        case .numbered:
            let oldest = files.path("\(name).\(retention)")
            if FileManager.default.fileExists(atPath: oldest) { try files.remove("\(name).\(retention)") }
            for index in stride(from: retention - 1, through: 1, by: -1) where FileManager.default.fileExists(atPath: files.path("\(name).\(index)")) {
                try files.rename("\(name).\(index)", to: "\(name).\(index + 1)")
            }
            copyName = "\(name).1"
        case .dated:
            copyName = String(format: "%@-2026%06d", name, 120_100 + dated.count)
            dated.append(copyName)
            while dated.count > retention { try files.remove(dated.removeFirst()) }
        }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        try files.append("", to: copyName)
        let size = max(1, (bytes.count + pieces - 1) / max(pieces, 1))
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            try files.append(bytes: bytes[start..<end], to: copyName)
            start = end
            if start < bytes.count { try between() }
        }
    }

    /// logrotate's `copytruncate` with `lostBetween` lines written between the copy and the
    /// truncation (they are the ones nothing can recover). Returns their numbers.
    @discardableResult
    mutating func copyTruncate(lostBetween: Int = 0, beforeTruncation: () throws -> Void = {}) throws -> ClosedRange<Int>? {
        try copyAside()
        let first = written + 1
        if lostBetween > 0 { try append(lostBetween) }
        try beforeTruncation()
        try files.truncate(name)
        return lostBetween > 0 ? first...written : nil
    }
}

/// A writer without O_APPEND (as many loggers open their file): it writes at its own offset,
/// so after copytruncate it writes on where it was, leaving a hole of zeros before its lines.
struct NonAppendingWriter {
    var log: RotatingLog
    /// Where the next line goes.
    var position = 0

    init(log: RotatingLog) { self.log = log }

    mutating func write(_ count: Int) throws {
        let first = log.written + 1
        try log.append(0)
        var text = ""
        for number in first..<(first + count) { text += RotatingLog.line(number, padding: log.padding) }
        let descriptor = open(log.path, O_WRONLY)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        defer { close(descriptor) }
        let written = Array(text.utf8).withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(position)) }
        guard written == text.utf8.count else { throw POSIXError(.EIO) }
        position += written
        log.skip(count)
    }

    /// copytruncate with `window` lines written between the copy and the truncation (no
    /// reader can have them unless it read them before the truncation). The copy is made in
    /// `pieces` writes, `duringCopy` called between them. Returns the window's numbers.
    mutating func copyTruncate(
        window: Int, pieces: Int = 1, duringCopy: () throws -> Void = {}, beforeTruncation: () throws -> Void = {}
    ) throws -> ClosedRange<Int>? {
        try log.copyAside(pieces: pieces, between: duringCopy)
        let first = log.written + 1
        if window > 0 { try write(window) }
        try beforeTruncation()
        try log.files.truncate(log.name)
        return window > 0 ? first...log.written : nil
    }
}

/// What a follower read, line by line, and what it reported lost.
struct FollowedLines {
    var numbers: [Int] = []
    var losses: [DataLoss] = []
    var openedRotated: [String] = []
    private var partial = ""

    mutating func add(_ changes: [FileFollower.Change]) {
        for change in changes {
            switch change {
            case .data(let bytes):
                partial += String(decoding: bytes, as: UTF8.self)
                while let newline = partial.firstIndex(of: "\n") {
                    let line = partial[..<newline]
                    partial = String(partial[partial.index(after: newline)...])
                    let words = line.split(separator: " ")
                    if words.count >= 2, words[0] == "line", let number = Int(words[1]) { numbers.append(number) }
                }
            case .lost(let loss): losses.append(loss)
            case .openedRotated(let path, _): openedRotated.append(path)
            case .rotated, .opened, .truncated, .missing:
                partial = ""  // a fresh decoder: a partial line is dropped, as the ingestor does
            case .unreadable, .readAgain: break
            }
        }
    }

    /// Every number of `range` once, in increasing order, and nothing else.
    func isExactly(_ numbers: [Int]) -> Bool { self.numbers == numbers }
}

/// Polls until a poll reports nothing, as the ingestor does each round (a bound keeps a broken
/// follower from hanging the test).
func followToQuiet(_ follower: FileFollower, into lines: inout FollowedLines) {
    for _ in 0..<100_000 {
        let changes = follower.poll()
        if changes.isEmpty { return }
        lines.add(changes)
    }
}
