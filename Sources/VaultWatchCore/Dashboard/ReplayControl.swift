import Synchronization

/// Pause and speed of a replay, shared between the UI (which changes them from keys) and the
/// replay pacer (which reads them between slices of events).
/// - Important: thread-safe; every call takes a short lock.
public final class ReplayControl: Sendable {
    public struct Setting: Sendable, Equatable {
        /// Event-time seconds per wall-clock second.
        public var speed: Double
        public var isPaused: Bool
        public init(speed: Double, isPaused: Bool = false) {
            self.speed = speed
            self.isPaused = isPaused
        }
    }

    private let setting: Mutex<Setting>

    public init(speed: Double) {
        setting = Mutex(Setting(speed: max(speed, 0.001)))
    }

    public var current: Setting { setting.withLock { $0 } }

    public func update(_ newValue: Setting) {
        setting.withLock { $0 = Setting(speed: max(newValue.speed, 0.001), isPaused: newValue.isPaused) }
    }
}
