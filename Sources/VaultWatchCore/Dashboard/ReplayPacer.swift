/// Plays events at a multiple of event time: the history before `playbackStart` passes at
/// full speed, then each slice of events waits until its event time, divided by the speed,
/// has elapsed on the wall clock. Pausing stops the clock; a speed change keeps the position.
///
/// Slices are short in event time (`sliceWallSeconds` of wall time at the current speed) so
/// alerts appear as the story unfolds, not a whole batch at once.
public struct ReplayPacer: Sendable {
    public let playbackStart: EventTime
    public let control: ReplayControl
    public var sliceWallSeconds: Double

    public init(playbackStart: EventTime, control: ReplayControl, sliceWallSeconds: Double = 0.1) {
        self.playbackStart = playbackStart
        self.control = control
        self.sliceWallSeconds = sliceWallSeconds
    }

    /// `batch` cut into slices of at most one slice of event time each (only the part at or
    /// after `playbackStart` is cut; `EventBatch.parts`: problems and counts travel with the
    /// first slice).
    public func slices(of batch: EventBatch) -> [EventBatch] {
        guard !batch.isEmpty else { return [] }
        let speed = control.current.speed
        let sliceTicks = max(Int64(sliceWallSeconds * speed * Double(EventTime.ticksPerSecond)), 1)
        var starts: [Int] = []
        var sliceEnd: Int64?
        for (position, event) in batch.events.enumerated() where event.time >= playbackStart {
            if let end = sliceEnd, event.time.ticks >= end {
                starts.append(position)
                sliceEnd = nil
            }
            if sliceEnd == nil { sliceEnd = event.time.ticks + sliceTicks }
        }
        return batch.parts(startingAt: starts)
    }

    /// Waits until the wall clock reaches `time` at the current speed, from where the last
    /// wait left off; returns at once for history before `playbackStart`.
    /// - Parameter position: the pacer's anchor (event time, wall instant) across calls.
    public func wait(until time: EventTime, position: inout Position) async throws {
        guard time >= playbackStart else { return }
        while true {
            let setting = control.current
            let now = ContinuousClock.now
            guard let anchor = position.anchor, anchor.speed == setting.speed, !setting.isPaused else {
                // (Re)anchor: at the start, after a pause or a change of speed.
                let event = max(position.anchor.map { $0.eventTime(at: now) } ?? playbackStart, playbackStart)
                position.anchor = setting.isPaused ? nil : Position.Anchor(event: event, wall: now, speed: setting.speed)
                if setting.isPaused {
                    position.pausedAt = position.pausedAt ?? event
                    try await Task.sleep(for: .milliseconds(50))
                } else if let paused = position.pausedAt {
                    position.anchor = Position.Anchor(event: paused, wall: now, speed: setting.speed)
                    position.pausedAt = nil
                }
                continue
            }
            let reached = anchor.eventTime(at: now)
            if reached >= time { return }
            let wallSeconds = Double(time.ticks - reached.ticks) / Double(EventTime.ticksPerSecond) / setting.speed
            try await Task.sleep(for: .milliseconds(Int(min(max(wallSeconds * 1000, 1), 50))))
        }
    }

    /// Where the replay stands between waits.
    public struct Position: Sendable {
        struct Anchor: Sendable {
            var event: EventTime
            var wall: ContinuousClock.Instant
            var speed: Double
            func eventTime(at now: ContinuousClock.Instant) -> EventTime {
                let elapsed = (now - wall).components
                let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                return EventTime(ticks: event.ticks + Int64(seconds * speed * Double(EventTime.ticksPerSecond)))
            }
        }
        var anchor: Anchor?
        var pausedAt: EventTime?
        public init() {}
    }
}
