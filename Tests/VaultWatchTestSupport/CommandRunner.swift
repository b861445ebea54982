import Foundation
import Synchronization

/// Runs the built `vaultwatch` binary for end-to-end tests.
///
/// - Important: every wait here is asynchronous. Swift Testing runs tests on the cooperative
///   pool, one thread per core (two on CI): a test that blocked a thread until its subprocess
///   exited would hold it from every other test, and async tests with deadlines (following a
///   file, a tmux screen) would starve. A process's exit resumes a continuation from its
///   termination handler; its output is read by threads of its own, outside the pool.
public enum CommandRunner {
    /// The `vaultwatch` executable next to the running test bundle (SwiftPM puts products and
    /// test bundles in one directory; `swift test` builds it first, the test target depends on it).
    public static var executable: URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDirectory, bundleDirectory.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("vaultwatch")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return TestPaths.repositoryRoot.appendingPathComponent(".build/debug/vaultwatch")
    }

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
        public var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// Runs `vaultwatch ARGUMENTS` to completion, feeding `input` on stdin (then closing it).
    public static func run(_ arguments: [String], input: Data? = nil, environment: [String: String]? = nil,
                           directory: URL = TestPaths.repositoryRoot) async throws -> Result {
        let running = try RunningCommand(arguments, input: input ?? Data(), environment: environment, directory: directory)
        return await running.wait()
    }
}

/// A `vaultwatch` process started in the background, its output collected as it comes.
public final class RunningCommand: Sendable {
    private let process: Process
    private struct Collected {
        var stdout = Data()
        var stderr = Data()
        var openStreams = 2
        /// Set by the termination handler.
        var status: Int32?
        /// Tasks awaiting the exit, resumed by whichever of the exit and the last end of file
        /// comes last.
        var waiters: [CheckedContinuation<Void, Never>] = []
        var isFinished: Bool { status != nil && openStreams == 0 }
    }
    private let collected = Mutex(Collected())

    /// Starts `vaultwatch ARGUMENTS`. With `input`, a thread of its own writes it to stdin and
    /// closes it (a write larger than the pipe's buffer waits for the child to read); without,
    /// stdin stays open and empty for as long as the process runs.
    public init(_ arguments: [String], input: Data? = nil, environment: [String: String]? = nil,
                directory: URL = TestPaths.repositoryRoot) throws {
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        let inputPipe = Pipe()
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        process.standardInput = inputPipe
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        self.process = process
        // Set before `run`, so an exit however early is seen.
        process.terminationHandler = { [self] process in
            let status = process.terminationStatus
            finish { $0.status = status }
        }
        try process.run()
        // One reader thread per stream: blocking reads until end of file, appended as they come.
        for (pipe, isOutput) in [(outputPipe, true), (errorPipe, false)] {
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread { [self] in
                while true {
                    let data = handle.availableData
                    if data.isEmpty {
                        finish { $0.openStreams -= 1 }
                        return
                    }
                    collected.withLock { state in
                        if isOutput { state.stdout.append(data) } else { state.stderr.append(data) }
                    }
                }
            }
        }
        if let input {
            let handle = inputPipe.fileHandleForWriting
            Thread.detachNewThread {
                // The child may exit without reading it all: the write then fails, which is fine.
                try? handle.write(contentsOf: input)
                try? handle.close()
            }
        }
    }

    /// Applies `change`, then resumes the waiters if the process has exited and both streams ended.
    private func finish(_ change: (inout Collected) -> Void) {
        let waiters = collected.withLock { state -> [CheckedContinuation<Void, Never>] in
            change(&state)
            guard state.isFinished else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }
    public var stdout: String { String(decoding: collected.withLock { $0.stdout }, as: UTF8.self) }
    public var stderr: String { String(decoding: collected.withLock { $0.stderr }, as: UTF8.self) }

    /// Checks `condition` every 50 ms, sleeping in between without holding a thread, until it
    /// holds or `timeout` passes; returns whether it held. A liveness bound, not a measure.
    public func waitUntil(timeout: Duration = .seconds(60), _ condition: (RunningCommand) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition(self)
    }

    /// Awaits the process's exit and the end of both its streams, then gives its status and output.
    public func wait() async -> CommandRunner.Result {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = collected.withLock { state -> Bool in
                if state.isFinished { return true }
                state.waiters.append(continuation)
                return false
            }
            if finished { continuation.resume() }
        }
        let (status, stdout, stderr) = collected.withLock { ($0.status ?? -1, $0.stdout, $0.stderr) }
        return CommandRunner.Result(status: status, stdout: String(decoding: stdout, as: UTF8.self),
                                    stderr: String(decoding: stderr, as: UTF8.self))
    }
}
