import Foundation
import Testing
import VaultWatchCore

#if canImport(Glibc)
import Glibc
#endif

/// `watch` and `demo` lower the priority of the threads that ingest, never the dashboard's.
@Suite("Ingestion's scheduling priority")
struct IngestPriorityTests {
    #if os(Linux)
    static func priority() -> Int32 { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }

    @Test func loweringAThreadLeavesTheOthersAtTheirPriority() async throws {
        let before = Self.priority()
        // Nice values top out at 19, where nothing can run lower. Checked here, not in a trait:
        // a test run may be reniced after its tests are listed (`nice swift test` leaves the
        // test process at the shell's priority, and the rules ask to renice it by hand).
        guard before < 19 else { return }
        let (lowered, again, afterwards) = await withCheckedContinuation { continuation in
            let thread = Thread {
                IngestPriority.lowerCurrentThread()
                let lowered = Self.priority()
                IngestPriority.lowerCurrentThread()
                continuation.resume(returning: (lowered, Self.priority(), Self.priority()))
            }
            thread.start()
        }
        // The process's priority is this test's thread's (the first call reads it there).
        #expect(lowered == min(before + IngestPriority.increment, 19), "the calling thread runs lower")
        #expect(again == lowered && afterwards == lowered, "once: a second call does not lower it further")
        #expect(Self.priority() == before, "the other threads keep theirs")
    }
    #endif
}
