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

    /// Nice values top out at 19: a test run already niced past 9 cannot show the difference.
    static var canLower: Bool { priority() + IngestPriority.increment <= 19 }

    @Test(.enabled(if: canLower, "this test process already runs at nice 10 or more"))
    func loweringAThreadLeavesTheOthersAtTheirPriority() async throws {
        let before = Self.priority()
        let (lowered, again, afterwards) = await withCheckedContinuation { continuation in
            let thread = Thread {
                IngestPriority.lowerCurrentThread()
                let lowered = Self.priority()
                IngestPriority.lowerCurrentThread()
                continuation.resume(returning: (lowered, Self.priority(), Self.priority()))
            }
            thread.start()
        }
        #expect(lowered == before + IngestPriority.increment, "the calling thread runs lower")
        #expect(again == lowered && afterwards == lowered, "once: a second call does not lower it further")
        #expect(Self.priority() == before, "the other threads keep theirs")
    }
    #endif
}
