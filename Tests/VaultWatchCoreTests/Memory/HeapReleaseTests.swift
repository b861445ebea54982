#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import VaultWatchCore

/// `HeapRelease`: freed blocks that the allocator keeps below a block still in use stay resident
/// until a release gives their pages back.
@Suite struct HeapReleaseTests {
    #if canImport(Glibc)
    /// 32 MiB freed in blocks of 64 KiB (under the allocator's threshold for mapping a block alone,
    /// so they are the arena's), every other block of 1,024 while the others are held: no freed
    /// block touches another or the arena's top, so the allocator keeps them all, their pages
    /// resident; `releaseIfWorthIt` gives the pages back (all but the one under each free block's
    /// own links). Measured on the blocks' own pages (`mincore`), not on the process's resident size,
    /// which the tests running beside this one move. Those tests may also take some of the freed
    /// blocks between the release and the look (in a full run under load, half of them once): a
    /// page can become resident again only so, never leave without the release, so the attempt is
    /// made up to eight times and one with its pages gone is the proof (without the release none
    /// is: every page stays).
    @Test func releaseGivesBackTheFreedPagesAnArenaKeeps() throws {
        guard HeapRelease.usage != nil else { return }
        var results: [(before: Double, after: Double)] = []
        for _ in 0..<8 {
            let result = try Self.freeAndRelease()
            results.append(result)
            if result.before > 0.9, result.after < 0.25 { break }
        }
        #expect(results.contains { $0.before > 0.9 && $0.after < 0.25 }, "resident fractions before and after: \(results)")
    }

    /// Allocates and writes 1,024 blocks of 64 KiB, frees every other one, then releases: the
    /// fraction of the freed blocks' whole pages resident before the release and after it.
    private static func freeAndRelease() throws -> (before: Double, after: Double) {
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        let blockSize = 64 << 10
        var blocks: [UnsafeMutableRawPointer] = []
        blocks.reserveCapacity(1_024)
        for _ in 0..<1_024 {
            let block = try #require(malloc(blockSize))
            memset(block, 0x5A, blockSize)
            blocks.append(block)
        }
        let freed = stride(from: 0, to: blocks.count, by: 2).map { blocks[$0] }
        let held = stride(from: 1, to: blocks.count, by: 2).map { blocks[$0] }
        defer { for block in held { free(block) } }
        for block in freed { free(block) }
        var vector = [UInt8](repeating: 0, count: blockSize / pageSize + 1)
        func residentFraction() -> Double {
            var resident = 0
            var pages = 0
            for block in freed {
                let address = Int(bitPattern: block)
                let first = (address + pageSize - 1) / pageSize * pageSize
                let count = (address + blockSize - first) / pageSize
                guard count > 0, mincore(UnsafeMutableRawPointer(bitPattern: first), count * pageSize, &vector) == 0 else { continue }
                pages += count
                resident += vector[0..<count].reduce(0) { $0 + Int($1 & 1) }
            }
            return pages == 0 ? 0 : Double(resident) / Double(pages)
        }
        let before = residentFraction()
        HeapRelease.releaseIfWorthIt()
        return (before, residentFraction())
    }
    #endif

    /// Below the slack nothing is released.
    @Test func aHeapWithLittleFreeIsLeftAlone() {
        guard HeapRelease.usage != nil else { return }
        #expect(!HeapRelease.releaseIfWorthIt(slack: Int.max))
    }
}
