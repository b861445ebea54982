import Dispatch
import Synchronization

/// One section of the detector's saved state written on a helper thread while the caller writes
/// another (`BehaviourBaseline.writeState`, format 16: the in-flight section numbers its own
/// names, so it does not wait for the learned entities' names).
///
/// The export stops detection (at the end of a run, the whole end waits for it): on the
/// benchmark's synthetic records the learned entities and the in-flight section are about half of
/// it each, so written side by side the detector waits for the longer, not for both. Whoever
/// comes first writes the section: a caller done with its own part before the helper has started
/// (no free core) writes it itself, so the detector never waits for a thread that has not run.
/// The helper only reads what the caller holds still: the caller takes the section (`take()`)
/// before it changes anything.
final class StateSectionWrite: @unchecked Sendable {
    /// A queue of its own, targeting an overcommitting global queue, so the section gets a thread
    /// even while the caller's (one of the cooperative pool's) is busy, and never waits behind
    /// the reader's helpers (`SourceReader.PieceReader.queue`).
    private static let queue = DispatchQueue(label: "vaultwatch.state-section")

    private let write: @Sendable () -> [UInt8]
    /// Set by whoever starts the section first: the helper, or the caller in `take()`.
    private let started = Atomic<Bool>(false)
    /// Written once on `queue` by the helper when it started first, read after `group.wait()`.
    private var bytes: [UInt8] = []
    private let group = DispatchGroup()

    /// Starts `write` on the helper's thread.
    init(_ write: @escaping @Sendable () -> [UInt8]) {
        self.write = write
        Self.queue.async(group: group) { [self] in
            guard started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
            ThreadPriority.settleCurrentThread()
            bytes = write()
        }
    }

    /// The section: written here if the helper has not started it, else waited for.
    func take() -> [UInt8] {
        if started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged { return write() }
        group.wait()
        return bytes
    }
}
