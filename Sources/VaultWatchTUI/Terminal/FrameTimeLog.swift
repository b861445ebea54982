#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An opt-in record of how long each dashboard frame takes, for the soak test
/// (`scripts/soak.sh`, docs/reliability.md): with `VAULTWATCH_FRAME_TIMES=FILE` set, every drawn
/// frame appends `MILLISECONDS MICROSECONDS RENDER-MICROSECONDS` to FILE (the monotonic time the
/// frame started, how long rendering and writing it to the terminal took, and how much of that
/// was rendering the screen buffer: the rest is curses and the terminal taking the bytes, which
/// a slow terminal or a full pseudo-terminal buffer stretches). Unset, nothing is measured.
/// - Important: used by the UI thread only.
final class FrameTimeLog {
    static let environmentVariable = "VAULTWATCH_FRAME_TIMES"

    private let file: UnsafeMutablePointer<FILE>
    private var lastFlush = 0.0

    /// nil when the variable is unset or empty, or the file cannot be opened for appending.
    init?(environment: [String: String]) {
        guard let path = environment[Self.environmentVariable], !path.isEmpty, let file = fopen(path, "a") else { return nil }
        self.file = file
    }

    deinit {
        fclose(file)
    }

    /// Records a frame drawn from `start` to `end`, its buffer rendered by `rendered` (monotonic
    /// seconds). Flushed about once a second, so a reader sees figures while the dashboard runs.
    func record(start: Double, rendered: Double, end: Double) {
        let microseconds = Int(((end - start) * 1_000_000).rounded())
        let renderMicroseconds = Int(((rendered - start) * 1_000_000).rounded())
        fputs("\(Int((start * 1000).rounded())) \(microseconds) \(renderMicroseconds)\n", file)
        if end - lastFlush >= 1 {
            fflush(file)
            lastFlush = end
        }
    }
}
