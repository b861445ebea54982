#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import VaultWatchCore

/// Draws `ReadProgress` on stderr while `detect` or `hunt` reads, when stderr is a terminal: one line,
/// redrawn in place at most four times a second, erased before anything else is written to
/// stderr (an input problem, the summary) and for good by `stop()`.
///
/// - Important: thread-safe; the drawing task and the code printing problems share one lock,
///   so a problem is never written into the middle of the progress line.
final class ProgressLine: Sendable {
    /// How often the line is redrawn.
    static let interval = Duration.milliseconds(250)

    private struct State {
        var isDrawn = false
        var isStopped = false
    }

    private let state = Mutex(State())
    let isEnabled: Bool

    /// - Parameter isTerminal: whether stderr is a terminal (`isatty(2)`, injectable for tests).
    init(isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        isEnabled = isTerminal
    }

    /// Redraws the line with `text` (ignored once stopped or when not a terminal).
    func draw(_ text: String) {
        guard isEnabled else { return }
        state.withLock { state in
            guard !state.isStopped else { return }
            Self.write("\r\u{1B}[K" + text)
            state.isDrawn = true
        }
    }

    /// Writes `line` to stderr, erasing the progress line first; the next draw puts it back.
    func print(_ line: String) {
        state.withLock { state in
            if state.isDrawn {
                Self.write("\r\u{1B}[K")
                state.isDrawn = false
            }
            StandardStreams.error(line)
        }
    }

    /// Erases the line for good.
    func stop() {
        state.withLock { state in
            if state.isDrawn { Self.write("\r\u{1B}[K") }
            state.isDrawn = false
            state.isStopped = true
        }
    }

    /// Redraws the line from `ingestor`'s statistics every `interval` until cancelled, when
    /// enabled: the one drawing loop of `detect` and `hunt`.
    /// - Returns: the drawing task (nil when not a terminal); cancel it, then `stop()`.
    func follow(_ ingestor: Ingestor, since started: ContinuousClock.Instant) -> Task<Void, Never>? {
        guard isEnabled else { return nil }
        return Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.interval)
                let statistics = await ingestor.statistics
                let report = ReadProgress(
                    statistics: statistics, events: statistics.eventsSent, elapsed: ContinuousClock.now - started)
                draw(report.line(width: width - 1))
            }
        }
    }

    /// The terminal's width in columns (80 when it cannot be asked).
    var width: Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    private static func write(_ text: String) {
        var copy = text
        copy.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count, let base = bytes.baseAddress {
                let written = Glibc.write(STDERR_FILENO, base + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
