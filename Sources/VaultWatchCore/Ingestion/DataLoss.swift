/// Data of a followed file that may have been skipped, and why: the follower reports each case
/// so that a loss is never silent. It becomes an `InputProblem` of severity `.lost`, printed
/// `file: … may have been lost (reason)` and counted in the summary and the dashboard header.
///
/// Counts are what can be inferred, never a guess presented as a fact: `bytes` is a lower
/// bound (bytes seen in the file and never read), said as one ("at least"), unless the size
/// was measured (`bytesAreExact`: a non-appending writer's hole after a copytruncate ends where
/// the lost part did); nil when nothing tells how much. `lines` is then estimated from the
/// average length of the lines read so far.
public struct DataLoss: Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// The file was truncated (or rewritten in place) and no copy of it was found.
        case truncatedWithoutCopy
        /// copytruncate: what was written between the copy (named) and the truncation.
        case copyTruncate(copy: String)
        /// The file was replaced by another one (a blob rewritten, or a file that cannot be
        /// kept open) before it was read to its end.
        case replaced
        /// The file a checkpoint names is no longer at the path nor among its rotated
        /// generations.
        case checkpointedFileGone
        /// The file being read had been deleted by rotation before it was finished, and newer
        /// generations were found: rotation outran the reader, so generations between may
        /// have been deleted unread.
        case generationsDeleted
        /// A rotated generation (named) holding unread data could not be opened.
        case generationUnreadable(String)
    }

    /// The followed path as the user named it.
    public var path: String
    public var reason: Reason
    /// Bytes known to be lost (a lower bound), or nil when it cannot be inferred.
    public var bytes: Int64?
    /// Lines those bytes held, estimated from the lines read so far; nil with `bytes` nil.
    public var lines: Int?
    /// `bytes` is the size of what was lost, measured, not a lower bound. A truncation found
    /// the reader behind by what it had seen the file hold, and the file may have grown further
    /// before it was cut: 46,995 bytes (about 41 lines) said for 730 records lost (the twelfth
    /// held-out sweep's follow pass, docs/reliability.md).
    public var bytesAreExact: Bool

    public init(path: String, reason: Reason, bytes: Int64? = nil, lines: Int? = nil, bytesAreExact: Bool = false) {
        self.path = path
        self.reason = reason
        self.bytes = bytes
        self.lines = lines
        self.bytesAreExact = bytesAreExact
    }

    /// What was lost and why, without the path (for an `InputProblem`, which names it).
    public var summary: String {
        let amount: String
        if let bytes {
            let unit = bytes == 1 ? "byte" : "bytes"
            let size = bytesAreExact ? "\(bytes) \(unit)" : "at least \(bytes) \(unit)"
            if let lines { amount = "\(size) (about \(lines) \(lines == 1 ? "line" : "lines"))" } else { amount = size }
        } else {
            amount = "lines"
        }
        return "\(amount) may have been lost (\(reasonText))"
    }

    public var description: String { "\(path): \(summary)" }

    private var reasonText: String {
        switch reason {
        case .truncatedWithoutCopy: return "truncated in place, no copy of the unread part found"
        case .copyTruncate(let copy): return "copytruncate: written between the copy to \(copy) and the truncation"
        case .replaced: return "replaced by another file before it was read to its end"
        case .checkpointedFileGone: return "the file read at the last checkpoint is gone, with what it held after the checkpoint"
        case .generationUnreadable(let generation): return "the rotated file \(generation) could not be opened"
        case .generationsDeleted:
            return "rotation deleted the file being read before it was finished; generations rotated after it may have been deleted unread"
        }
    }
}
