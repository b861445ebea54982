#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import VaultWatchCore

/// `HeapRelease`: freed blocks that the allocator keeps below a block still in use stay resident
/// until a release gives their pages back.
@Suite struct HeapReleaseTests {
    #if canImport(Glibc)
    /// 64 MiB freed in blocks of 64 KiB (under the allocator's threshold for mapping a block alone,
    /// so they are the arena's), below a small block still held: the allocator keeps them, their
    /// pages resident; `releaseIfWorthIt` gives the pages back. Measured on the blocks' own pages
    /// (`mincore`), not on the process's resident size, which the tests running beside this one move.
    @Test func releaseGivesBackTheFreedPagesAnArenaKeeps() throws {
        guard HeapRelease.usage != nil else { return }
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        let blockSize = 64 << 10
        var blocks: [UnsafeMutableRawPointer] = []
        for _ in 0..<1_024 {
            let block = try #require(malloc(blockSize))
            memset(block, 0x5A, blockSize)
            blocks.append(block)
        }
        let held = try #require(malloc(64))
        defer { free(held) }
        for block in blocks { free(block) }

        /// The fraction of the blocks' whole pages that are resident.
        func residentFraction() -> Double {
            var resident = 0
            var pages = 0
            var vector = [UInt8](repeating: 0, count: blockSize / pageSize + 1)
            for block in blocks {
                let address = Int(bitPattern: block)
                let first = (address + pageSize - 1) / pageSize * pageSize
                let count = (address + blockSize - first) / pageSize
                guard count > 0, mincore(UnsafeMutableRawPointer(bitPattern: first), count * pageSize, &vector) == 0 else { continue }
                pages += count
                resident += vector[0..<count].reduce(0) { $0 + Int($1 & 1) }
            }
            return pages == 0 ? 0 : Double(resident) / Double(pages)
        }
        #expect(residentFraction() > 0.9)
        #expect(HeapRelease.releaseIfWorthIt())
        #expect(residentFraction() < 0.1)
    }
    #endif

    /// Below the slack nothing is released.
    @Test func aHeapWithLittleFreeIsLeftAlone() {
        guard HeapRelease.usage != nil else { return }
        #expect(!HeapRelease.releaseIfWorthIt(slack: Int.max))
    }
}
