#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An opt-in record of how long each dashboard frame takes, for the soak test
/// (`scripts/soak.sh`, docs/reliability.md) and `scripts/frame-time.sh`: with
/// `VAULTWATCH_FRAME_TIMES=FILE` set, every drawn frame appends
/// `MILLISECONDS MICROSECONDS RENDER-MICROSECONDS WAITING-MICROSECONDS RUNNING-MICROSECONDS` to
/// FILE: the monotonic time the frame started, how long rendering and writing it to the
/// terminal took, how much of that was rendering the screen buffer, and, of the whole, how long
/// the thread waited for a core and how long it ran (Linux's per-thread scheduler statistics;
/// -1 where they cannot be read). What is neither waiting nor running is the thread blocked,
/// in practice on the terminal taking the bytes. Unset, nothing is measured.
/// - Important: used by the UI thread only.
final class FrameTimeLog {
    static let environmentVariable = "VAULTWATCH_FRAME_TIMES"

    private let file: UnsafeMutablePointer<FILE>
    private var lastFlush = 0.0
    /// The thread's scheduler statistics when the frame started.
    private var atStart: SchedulerStatistics?

    /// nil when the variable is unset or empty, or the file cannot be opened for appending.
    init?(environment: [String: String]) {
        guard let path = environment[Self.environmentVariable], !path.isEmpty, let file = fopen(path, "a") else { return nil }
        self.file = file
    }

    deinit {
        fclose(file)
    }

    /// Notes the thread's scheduler statistics as a frame starts (before `record`).
    func frameStarts() {
        atStart = SchedulerStatistics.currentThread()
    }

    /// Records a frame drawn from `start` to `end`, its buffer rendered by `rendered` (monotonic
    /// seconds). Flushed about once a second, so a reader sees figures while the dashboard runs.
    func record(start: Double, rendered: Double, end: Double) {
        let microseconds = Int(((end - start) * 1_000_000).rounded())
        let renderMicroseconds = Int(((rendered - start) * 1_000_000).rounded())
        var waiting = -1
        var running = -1
        if let before = atStart, let after = SchedulerStatistics.currentThread() {
            waiting = (after.waitingNanoseconds - before.waitingNanoseconds) / 1000
            running = (after.runningNanoseconds - before.runningNanoseconds) / 1000
        }
        atStart = nil
        fputs("\(Int((start * 1000).rounded())) \(microseconds) \(renderMicroseconds) \(waiting) \(running)\n", file)
        if end - lastFlush >= 1 {
            fflush(file)
            lastFlush = end
        }
    }
}

/// How long the calling thread has run and waited on a run queue for a core, from
/// /proc/thread-self/schedstat (Linux with scheduler statistics; nil elsewhere).
struct SchedulerStatistics {
    var runningNanoseconds: Int
    var waitingNanoseconds: Int

    static func currentThread() -> SchedulerStatistics? {
        #if os(Linux)
        let descriptor = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 128)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let fields = bytes[..<count].split(whereSeparator: { $0 == 0x20 || $0 == 0x0A })
        guard fields.count >= 2, let running = Int(String(decoding: fields[0], as: UTF8.self)),
              let waiting = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
        return SchedulerStatistics(runningNanoseconds: running, waitingNanoseconds: waiting)
        #else
        return nil
        #endif
    }
}
