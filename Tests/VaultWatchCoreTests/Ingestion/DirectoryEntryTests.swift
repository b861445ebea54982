#if canImport(Glibc)
import Glibc
#endif
import Testing
import VaultWatchCore

/// A directory entry is read field by field, never as the whole `struct dirent` Swift declares:
/// `readdir`'s record ends at its name's zero, and the buffer it sits in may end right there.
@Suite("Directory entries")
struct DirectoryEntryTests {
    #if os(Linux)
    /// A record laid out as `readdir` leaves it, its name's zero the last byte before a page that
    /// is not mapped: reading the 256 bytes `d_name` declares (as every listing did before) is a
    /// SIGSEGV here, as it was for `detect` in /tmp 8 times in 10.
    @Test func anEntryEndingAtAnUnmappedPageIsReadUpToItsNamesZero() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let mapped = mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        let region = try #require(mapped == MAP_FAILED ? nil : mapped)
        defer { munmap(region, 2 * page) }
        try #require(mprotect(region + page, page, PROT_NONE) == 0)

        let name = Array("audit-2.json".utf8) + [0]
        let nameOffset = try #require(MemoryLayout<dirent>.offset(of: \dirent.d_name))
        let typeOffset = try #require(MemoryLayout<dirent>.offset(of: \dirent.d_type))
        let start = page - nameOffset - name.count
        try #require(start % MemoryLayout<dirent>.alignment == 0, "the record must start aligned")
        let record = region + start
        record.storeBytes(of: UInt8(DT_REG), toByteOffset: typeOffset, as: UInt8.self)
        for (index, byte) in name.enumerated() { record.storeBytes(of: byte, toByteOffset: nameOffset + index, as: UInt8.self) }

        let entry = DirectoryEntry(record.bindMemory(to: dirent.self, capacity: 1))
        #expect(entry.name == "audit-2.json")
        #expect(entry.kind == UInt8(DT_REG))
        #expect(!entry.isSelfOrParent)
    }
    #endif

    @Test func listsADirectorysNamesAndKinds() throws {
        let directory = "/tmp/vaultwatch-directory-entry-\(getpid())"
        try #require(mkdir(directory, 0o700) == 0 && mkdir(directory + "/sub", 0o700) == 0)
        defer {
            unlink(directory + "/file.jsonl")
            rmdir(directory + "/sub")
            rmdir(directory)
        }
        let descriptor = open(directory + "/file.jsonl", O_CREAT | O_WRONLY, 0o600)
        try #require(descriptor >= 0)
        close(descriptor)
        let stream = try #require(opendir(directory))
        defer { closedir(stream) }
        var listed: [String: UInt8] = [:]
        var selfAndParent = 0
        while let raw = readdir(stream) {
            let entry = DirectoryEntry(raw)
            if entry.isSelfOrParent { selfAndParent += 1 } else { listed[entry.name] = entry.kind }
        }
        #expect(selfAndParent == 2)
        #expect(Set(listed.keys) == ["file.jsonl", "sub"])
        // Some file systems do not say (DT_UNKNOWN); where they do, it is the entry's kind.
        #expect([UInt8(DT_REG), UInt8(DT_UNKNOWN)].contains(listed["file.jsonl"]))
        #expect([UInt8(DT_DIR), UInt8(DT_UNKNOWN)].contains(listed["sub"]))
    }
}
