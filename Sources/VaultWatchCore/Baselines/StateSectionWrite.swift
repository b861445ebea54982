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
///
/// A save's export also works out which of the records taken lately its rows lack
/// (`RecordIdentities.changes(since:)`, `Detector.exportProgress`) on a helper of its own
/// (`StateHelperQueue.identities`), beside both sections: it ran after them, while on the demo
/// tenant the caller, done with the learned entities, sat waiting for the in-flight section.
final class StateSectionWrite<Section: Sendable>: @unchecked Sendable {
    private let write: @Sendable () -> Section
    /// Set by whoever starts the section first: the helper, or the caller in `take()`.
    private let started = Atomic<Bool>(false)
    /// Written once on the helper's queue when it started first, read after `group.wait()`.
    private var section: Section?
    private let group = DispatchGroup()

    /// Starts `write` on the helper's thread (`queue`).
    init(on queue: DispatchQueue = StateHelperQueue.sections, _ write: @escaping @Sendable () -> Section) {
        self.write = write
        queue.async(group: group) { [self] in
            guard started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
            ThreadPriority.settleCurrentThread()
            section = write()
        }
    }

    /// The section: written here if the helper has not started it, else waited for.
    func take() -> Section {
        if started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged { return write() }
        group.wait()
        guard let section else { preconditionFailure("the helper started the section and left without writing it") }
        return section
    }
}

/// The helpers' queues: each its own, targeting an overcommitting global queue, so a section gets
/// a thread even while the caller's (one of the cooperative pool's) is busy, and never waits
/// behind the reader's helpers (`SourceReader.PieceReader.queue`) or the other section.
enum StateHelperQueue {
    /// The in-flight section (`BehaviourBaseline.writeState`).
    static let sections = DispatchQueue(label: "vaultwatch.state-section")
    /// The identities a save's rows lack (`Detector.exportProgress`).
    static let identities = DispatchQueue(label: "vaultwatch.state-identities")
}
