import Foundation
import Testing
import VaultWatchCore
import VaultWatchTestSupport

@Suite("Demo tenant determinism")
struct DemoDeterminismTests {
    @Test("the same seed gives the same records, byte for byte")
    func sameSeedSameBytes() {
        let first = Array(DemoTenant(seed: 42, days: 3).records)
        let second = Array(DemoTenant(seed: 42, days: 3).records)
        #expect(first.count > 1000)
        #expect(first == second)
    }

    @Test("another seed gives other records")
    func otherSeedOtherBytes() {
        let first = DemoTenant(seed: 42, days: 2).records(onDay: 0)
        let second = DemoTenant(seed: 43, days: 2).records(onDay: 0)
        #expect(first != second)
    }

    @Test("a day's records do not depend on the length of history")
    func daysAreIndependent() {
        let short = DemoTenant(seed: 9, days: 2)
        let long = DemoTenant(seed: 9, days: 6)
        #expect(short.records(onDay: 2) == long.records(onDay: 6))
        #expect(short.dayStart(2) == long.dayStart(6))
    }

    @Test("the sequence from a day is that day's records and the ones after")
    func sequenceFromADay() {
        let tenant = DemoTenant(seed: 4, days: 2)
        let attackDay = Array(tenant.records(fromDay: 2))
        #expect(attackDay == tenant.records(onDay: 2))
        #expect(attackDay.allSatisfy { $0.time >= tenant.attackDayStart })
        #expect(Array(tenant.records(fromDay: 1)).count == tenant.records(onDay: 1).count + attackDay.count)
    }

    @Test("records come in time order")
    func timeOrder() {
        let times = DemoTenant(seed: 5, days: 2).records.map(\.time)
        #expect(times == times.sorted())
    }

    @Test("writing twice gives identical blob trees")
    func writtenTreesAreIdentical() throws {
        let first = try TestPaths.temporaryDirectory("demo-a")
        let second = try TestPaths.temporaryDirectory("demo-b")
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        let summary = try DemoTenant(seed: 3, days: 1).write(to: first.path)
        try DemoTenant(seed: 3, days: 1).write(to: second.path)
        let firstFiles = try Self.files(under: first)
        let secondFiles = try Self.files(under: second)
        #expect(firstFiles.count == summary.files)
        #expect(firstFiles.keys.sorted() == secondFiles.keys.sorted())
        for (path, data) in firstFiles { #expect(secondFiles[path] == data, "\(path) differs") }
        let blobPattern = #/^resourceId=/SUBSCRIPTIONS/[0-9A-F-]+/RESOURCEGROUPS/[A-Z0-9-]+/PROVIDERS/MICROSOFT\.KEYVAULT/VAULTS/[A-Z0-9-]+/y=\d{4}/m=\d{2}/d=\d{2}/h=\d{2}/m=00/PT1H\.json$/#
        for path in firstFiles.keys { #expect(path.wholeMatch(of: blobPattern) != nil, "unexpected blob path \(path)") }
    }

    static func files(under root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let prefix = root.standardizedFileURL.path + "/"
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return files }
        for case let url as URL in enumerator where !url.hasDirectoryPath {
            let path = url.standardizedFileURL.path
            files[String(path.dropFirst(prefix.count))] = try Data(contentsOf: url)
        }
        return files
    }
}
