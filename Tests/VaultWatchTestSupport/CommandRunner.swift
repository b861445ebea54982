import Foundation
import Synchronization

/// Runs the built `vaultwatch` binary for end-to-end tests.
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

    /// Runs `vaultwatch ARGUMENTS` to completion, feeding `input` on stdin.
    public static func run(_ arguments: [String], input: Data? = nil, environment: [String: String]? = nil,
                           directory: URL = TestPaths.repositoryRoot) throws -> Result {
        let running = try RunningCommand(arguments, environment: environment, directory: directory)
        if let input { running.write(input) }
        running.closeInput()
        return running.wait()
    }
}

/// Runs `body` (which waits for a process) on a thread of its own and awaits it, so that a long
/// wait does not hold one of the few threads of the cooperative pool that every other test's
/// tasks run on (two on a two-core machine: two blocked waits stall the rest, and their
/// deadlines pass). Record issues after it returns: a detached thread has no current test.
public func offThePool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// A `vaultwatch` process started in the background, its output collected as it comes.
public final class RunningCommand: Sendable {
    private let process: Process
    private let input: Pipe
    private struct Collected {
        var stdout = Data()
        var stderr = Data()
        var openStreams = 2
    }
    private let collected = Mutex(Collected())

    public init(_ arguments: [String], environment: [String: String]? = nil, directory: URL = TestPaths.repositoryRoot) throws {
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        let input = Pipe()
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        process.standardInput = input
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        self.process = process
        self.input = input
        try process.run()
        // One reader thread per stream: blocking reads until end of file, appended as they come.
        for (pipe, isOutput) in [(outputPipe, true), (errorPipe, false)] {
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread { [self] in
                while true {
                    let data = handle.availableData
                    self.collected.withLock { state in
                        if data.isEmpty {
                            state.openStreams -= 1
                        } else if isOutput {
                            state.stdout.append(data)
                        } else {
                            state.stderr.append(data)
                        }
                    }
                    if data.isEmpty { return }
                }
            }
        }
    }

    public func write(_ data: Data) { input.fileHandleForWriting.write(data) }
    public func closeInput() { try? input.fileHandleForWriting.close() }
    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }
    public var stdout: String { String(decoding: collected.withLock { $0.stdout }, as: UTF8.self) }
    public var stderr: String { String(decoding: collected.withLock { $0.stderr }, as: UTF8.self) }

    /// Polls until `condition` holds or `timeout` passes; returns whether it held.
    public func waitUntil(timeout: TimeInterval = 60, _ condition: (RunningCommand) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(self) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition(self)
    }

    /// Waits for the process to exit and its output to reach end of file.
    public func wait() -> CommandRunner.Result {
        process.waitUntilExit()
        _ = waitUntil(timeout: 30) { $0.collected.withLock { $0.openStreams == 0 } }
        return CommandRunner.Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}
