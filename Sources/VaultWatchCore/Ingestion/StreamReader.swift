#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AsyncAlgorithms
import Dispatch
import Synchronization

/// Reads a blocking stream (stdin, a named pipe) on a thread of its own and hands its bytes
/// over in chunks through `chunks`, one chunk at a time.
///
/// A `read` on a pipe blocks until a writer writes; doing it on the cooperative pool (or in an
/// actor) would stall every task sharing that thread. So the blocking loop runs on a dedicated
/// dispatch queue and waits, after each chunk, until a consumer has taken it: back-pressure
/// reaches the writer through the pipe, and at most one chunk is held in memory.
///
/// After a read returns, whatever else is already readable is gathered (without blocking) up
/// to `chunkSize`, so a busy pipe gives large chunks and a quiet one gives each line promptly.
///
/// - Important: thread-safe (`Sendable`). `chunks` has one consumer. `start()` once. The
///   channel finishes at end of input and fails with `IngestionError` on a read error.
///   `stop()` finishes the channel at once; the reading thread itself ends at its next chunk or
///   end of input (a `read` in progress cannot be interrupted portably), which is harmless for
///   stdin in a process that is about to exit.
public final class StreamReader: Sendable {
    /// The name records are reported under: `-` for stdin, else the path as given.
    public let name: String
    public let chunks = AsyncThrowingChannel<[UInt8], any Error>()
    public let chunkSize: Int
    private let stopped = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    /// The descriptor to read, or -1 to open `name` on the reading thread (opening a named
    /// pipe blocks until a writer appears).
    private let descriptor: Int32
    /// Whether the reading thread lowers its priority (`ThreadPriority`; `watch`).
    private let runsAtLowerPriority: Bool

    /// A reader of standard input.
    public static func standardInput(chunkSize: Int = 1 << 20, runsAtLowerPriority: Bool = false) -> StreamReader {
        StreamReader(name: "-", descriptor: STDIN_FILENO, chunkSize: chunkSize, runsAtLowerPriority: runsAtLowerPriority)
    }

    /// A reader of `descriptor` (not closed at the end), or of the file at `name` when
    /// `descriptor` is nil (opened, then closed at the end).
    public init(name: String, descriptor: Int32? = nil, chunkSize: Int = 1 << 20, runsAtLowerPriority: Bool = false) {
        self.name = name
        self.descriptor = descriptor ?? -1
        self.chunkSize = max(chunkSize, 1)
        self.runsAtLowerPriority = runsAtLowerPriority
    }

    /// Starts the reading thread (once; later calls do nothing).
    public func start() {
        guard started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        DispatchQueue(label: "vaultwatch.stream-reader").async { [self] in readLoop() }
    }

    /// Ends the hand-over: `chunks` finishes and the reading thread stops at its next chance.
    public func stop() {
        stopped.store(true, ordering: .relaxed)
        chunks.finish()
    }

    private func readLoop() {
        ThreadPriority.settleCurrentThread(belowDashboard: runsAtLowerPriority)
        var fd = descriptor
        if fd < 0 {
            fd = open(name, O_RDONLY | O_CLOEXEC)
            if fd < 0 {
                chunks.fail(IngestionError.opening(name, errorNumber: errno))
                return
            }
        }
        defer { if descriptor < 0 { _ = close(fd) } }
        while !stopped.load(ordering: .relaxed) {
            var failure: Int32 = 0
            var endOfInput = false
            let bytes = [UInt8](unsafeUninitializedCapacity: chunkSize) { buffer, initialized in
                initialized = 0
                guard let base = buffer.baseAddress else { return }
                while initialized < chunkSize {
                    // Block for the first bytes only; then take what is ready.
                    if initialized > 0 {
                        var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                        guard poll(&request, 1, 0) > 0 else { return }
                    }
                    let count = read(fd, base + initialized, chunkSize - initialized)
                    if count < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    if count == 0 {
                        endOfInput = true
                        return
                    }
                    initialized += count
                }
            }
            if !bytes.isEmpty { hand(bytes) }
            if failure != 0 {
                chunks.fail(IngestionError.unreadable(path: name, reason: IngestionError.text(failure)))
                return
            }
            if endOfInput {
                chunks.finish()
                return
            }
        }
    }

    /// Sends `bytes` and waits until a consumer has taken them (or the channel is finished).
    private func hand(_ bytes: [UInt8]) {
        let taken = DispatchSemaphore(value: 0)
        let channel = chunks
        Task {
            await channel.send(bytes)
            taken.signal()
        }
        taken.wait()
    }
}
