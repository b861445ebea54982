import Synchronization

/// How far the history load has come, shared between the feed (which writes it) and the UI
/// (which draws the progress bar). `fraction` is nil once the history is loaded.
/// - Important: thread-safe; every call takes a short lock.
public final class LoadingProgress: Sendable {
    public struct Status: Sendable, Equatable {
        public var fraction: Double?
        public var label: String
        public init(fraction: Double?, label: String) {
            self.fraction = fraction
            self.label = label
        }
    }

    private let status: Mutex<Status>

    public init(label: String = "") {
        status = Mutex(Status(fraction: 0, label: label))
    }

    public var current: Status { status.withLock { $0 } }

    public func update(fraction: Double, label: String) {
        status.withLock { $0 = Status(fraction: min(max(fraction, 0), 1), label: label) }
    }

    public func finish() {
        status.withLock { $0.fraction = nil }
    }
}
