#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An opt-in record of how long each dashboard frame takes, for the soak test
/// (`scripts/soak.sh`, docs/reliability.md): with `VAULTWATCH_FRAME_TIMES=FILE` set, every drawn
/// frame appends `MILLISECONDS MICROSECONDS` to FILE (the monotonic time the frame started, and
/// how long rendering and writing it to the terminal took). Unset, nothing is measured.
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

    /// Records a frame drawn from `start` to `end` (monotonic seconds). Flushed about once a
    /// second, so a reader sees figures while the dashboard runs.
    func record(start: Double, end: Double) {
        let microseconds = Int(((end - start) * 1_000_000).rounded())
        fputs("\(Int((start * 1000).rounded())) \(microseconds)\n", file)
        if end - lastFlush >= 1 {
            fflush(file)
            lastFlush = end
        }
    }
}
