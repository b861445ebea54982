import CVaultWatchMemory

/// Gives back to the system the memory a long run freed: the one place that does it, for every
/// run that lasts (`watch`, `demo`, `detect`).
///
/// Why: glibc's allocator keeps what a thread frees in that thread's arena (up to eight per
/// core: the decoders, the save's helpers, the writer and the detector each allocate in their
/// own) and hands an arena's pages back to the system only from its top, once 128 KiB are free
/// there. Blocks of up to 32 MiB (the duplicate window's tables, the journal's ring, a save's
/// state) live in the arenas once the first large block is freed (the allocator then raises its
/// threshold for mapping blocks alone), so a freed table leaves a hole that stays resident until
/// a block of its size comes again, in the same arena. A live `watch` of 6 December climbed so to
/// 336.8 MiB in an hour (docs/reliability.md, "Soak"); on a dense stream of 1.6 M records the heap
/// held 216 MB from the system of which 120 MB were in use, and one `malloc_trim` gave 49 MB back
/// (docs/performance.md, "6 December, night (memory)").
///
/// What: every `interval`, when the arenas hold more than `slack` bytes free, `malloc_trim(0)`
/// releases their free pages (the memory stays the process's address space; the next allocation
/// there faults a fresh page in). Nothing the process holds moves, so nothing it computes changes.
/// Where the C library cannot say (macOS, musl) it does nothing.
public enum HeapRelease {
    /// How often a long run looks.
    public static let interval = Duration.seconds(5)
    /// Free bytes the arenas may keep before a release: what one batch's buffers take and free
    /// again within the next second is not worth giving back.
    public static let slack = 16 << 20

    /// The allocator's heap, summed over its arenas; nil where the C library cannot say.
    public struct Usage: Sendable, Equatable {
        /// Bytes the arenas took from the system (large blocks mapped alone not included).
        public var arenaBytes: Int
        /// Of those, bytes in blocks the process holds.
        public var inUseBytes: Int
        /// Of those, bytes the process freed that the allocator keeps.
        public var freeBytes: Int
        /// Bytes of the large blocks mapped alone.
        public var mappedBytes: Int
    }

    /// The heap now (`mallinfo2`: it walks every arena's free lists, a fraction of a
    /// millisecond; not for every batch).
    public static var usage: Usage? {
        let usage = vw_read_heap_usage()
        guard usage.known != 0 else { return nil }
        return Usage(
            arenaBytes: Int(usage.arena_bytes), inUseBytes: Int(usage.in_use_bytes), freeBytes: Int(usage.free_bytes),
            mappedBytes: Int(usage.mapped_bytes))
    }

    /// Releases the arenas' free pages when they hold more than `slack` bytes free; true when it
    /// tried.
    @discardableResult
    public static func releaseIfWorthIt(slack: Int = HeapRelease.slack) -> Bool {
        guard let usage, usage.freeBytes > slack else { return false }
        _ = vw_heap_trim()
        return true
    }

    /// Looks every `interval` until the task is cancelled (`releaseIfWorthIt`), on a thread of
    /// the cooperative pool: a look is a fraction of a millisecond, a release a few.
    public static func run(every interval: Duration = HeapRelease.interval) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            releaseIfWorthIt()
        }
    }
}
