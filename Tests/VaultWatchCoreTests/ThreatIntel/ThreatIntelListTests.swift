import Foundation
import Testing
import VaultWatchCore
import VaultWatchTestSupport

extension ThreatIntelTests {
    @Suite("ThreatIntelList")
    struct ThreatIntelListTests {
        private func address(_ text: String) throws -> IPAddress {
            try #require(IPAddress(text), "\(text) should parse")
        }

        /// The one-line message of the error a parse throws, or nil when it succeeds.
        private func torError(_ contents: String, name: String = "tor.txt") -> String? {
            do { _ = try ThreatIntelList.parseTorExitList(contents: contents, name: name); return nil } catch { return error.description }
        }

        private func intelError(_ contents: String, name: String = "intel.txt") -> String? {
            do { _ = try ThreatIntelList.parseThreatIntel(contents: contents, name: name); return nil } catch { return error.description }
        }

        // MARK: Tor exit lists

        @Test func torDNSELFormatKeepsOnlyExitAddresses() throws {
            let contents = """
                @type tordnsel 1.0
                Downloaded 2025-06-02 00:02:01
                ExitNode 0123456789ABCDEF0123456789ABCDEF01234567
                Published 2025-06-01 05:08:21
                LastStatus 2025-06-01 06:02:24
                ExitAddress 192.0.2.10 2025-06-01 06:03:23
                ExitNode 89ABCDEF0123456789ABCDEF0123456789ABCDEF
                Published 2025-06-01 19:54:15
                LastStatus 2025-06-01 21:02:25
                ExitAddress 198.51.100.20 2025-06-01 21:02:55
                ExitAddress 2001:db8::20 2025-06-01 21:40:00
                ExitNode FEDCBA9876543210FEDCBA9876543210FEDCBA98
                Published 2025-06-01 22:00:00
                LastStatus 2025-06-01 23:00:00
                ExitAddress 192.0.2.10 2025-06-01 23:01:00

                """
            let list = try ThreatIntelList.parseTorExitList(contents: contents, name: "exits")
            #expect(list.name == "exits" && list.kind == .torExits && list.format == .torDNSEL)
            #expect(list.entryCount == 4)
            #expect(list.ranges.count == 3)
            #expect(list.contains(try address("192.0.2.10")))
            #expect(list.contains(try address("198.51.100.20")))
            #expect(list.contains(try address("2001:db8::20")))
            #expect(list.contains(try address("::ffff:198.51.100.20")))
            #expect(!list.contains(try address("192.0.2.11")))
        }

        @Test func torDNSELWithoutHeaderIsDetectedByItsKeywords() throws {
            let list = try ThreatIntelList.parseTorExitList(
                contents: "# trimmed copy\nExitNode AAAA\nExitAddress 203.0.113.5 2025-06-01 00:00:00\n", name: "t")
            #expect(list.format == .torDNSEL && list.entryCount == 1)
            #expect(list.contains(try address("203.0.113.5")))
        }

        @Test func torDNSELSkipsUnknownKeywordsForLaterVersions() throws {
            let list = try ThreatIntelList.parseTorExitList(
                contents: "@type tordnsel 1.1\nExitNode AAAA\nSomeFutureField x y z\n@annotation 1\nExitAddress 203.0.113.5 2025-06-01 00:00:00\n",
                name: "t")
            #expect(list.entryCount == 1)
        }

        @Test func bulkTorListOfBareAddresses() throws {
            let contents = """
                # Tor bulk exit list
                192.0.2.1
                  192.0.2.2\t
                192.0.2.1

                2001:db8::7   # an IPv6 exit
                """
            let list = try ThreatIntelList.parseTorExitList(contents: contents, name: "bulk")
            #expect(list.format == .addressList && list.kind == .torExits)
            #expect(list.entryCount == 4 && list.ranges.count == 3)
            #expect(try list.contains(address("192.0.2.2")) && list.contains(address("2001:db8::7")))
        }

        @Test func emptyAndCommentOnlyFilesAreEmptyLists() throws {
            for contents in ["", "\n\n", "# nothing yet\n   # still nothing\n", "\u{FEFF}"] {
                let tor = try ThreatIntelList.parseTorExitList(contents: contents, name: "t")
                #expect(tor.ranges.isEmpty && tor.entryCount == 0)
                let intel = try ThreatIntelList.parseThreatIntel(contents: contents, name: "i")
                #expect(intel.ranges.isEmpty && intel.entryCount == 0)
            }
        }

        @Test func crlfLineEndingsAndByteOrderMark() throws {
            let tor = try ThreatIntelList.parseTorExitList(
                bytes: [0xEF, 0xBB, 0xBF] + Array("@type tordnsel 1.0\r\nExitNode A\r\nExitAddress 192.0.2.9 2025-06-01 00:00:00\r\n".utf8),
                name: "t")
            #expect(try tor.format == .torDNSEL && tor.contains(address("192.0.2.9")))
            let intel = try ThreatIntelList.parseThreatIntel(bytes: Array("10.0.0.0/8\r\n192.0.2.9\r\n".utf8), name: "i")
            #expect(try intel.entryCount == 2 && intel.contains(address("10.9.9.9")))
        }

        // MARK: Threat-intel files

        @Test func threatIntelAddressesAndBlocks() throws {
            let contents = """
                # Known bad infrastructure
                192.0.2.200
                198.51.100.64/26        # trailing comment
                \t203.0.113.0/24\t
                2001:db8:bad::/48
                2001:db8:c0de::42
                10.1.2.3/8              # host bits set: taken as 10.0.0.0/8
                """
            let list = try ThreatIntelList.parseThreatIntel(contents: contents, name: "intel.txt")
            #expect(list.kind == .threatIntel && list.format == .addressList)
            #expect(list.entryCount == 6 && list.ranges.count == 6)
            for inside in ["192.0.2.200", "198.51.100.64", "198.51.100.127", "203.0.113.255", "2001:db8:bad:ffff::1", "2001:db8:c0de::42", "10.255.0.1"] {
                #expect(list.contains(try address(inside)), "\(inside)")
            }
            for outside in ["192.0.2.201", "198.51.100.128", "2001:db8:bae::", "2001:db8:c0de::43", "11.0.0.0"] {
                #expect(!list.contains(try address(outside)), "\(outside)")
            }
        }

        @Test func threatIntelIsNotReadAsTorDNSEL() {
            #expect(intelError("ExitAddress 192.0.2.1 2025-06-01 00:00:00\n")
                == #"intel.txt:1: unexpected "192.0.2.1" after "ExitAddress"; write one address or range per line"#)
        }

        // MARK: Errors: file, line, problem

        @Test func badAddressInABulkTorList() {
            let contents = (1...11).map { "192.0.2.\($0)" }.joined(separator: "\n") + "\n300.1.2.3\n"
            #expect(torError(contents) == #"tor.txt:12: "300.1.2.3" is not an IPv4 or IPv6 address"#)
        }

        @Test func prefixTooLong() {
            #expect(intelError("# header\n10.0.0.0/8\n\n192.0.2.0/33\n") == "intel.txt:4: prefix length 33 is too long for IPv4")
            #expect(intelError("2001:db8::/129") == "intel.txt:1: prefix length 129 is too long for IPv6")
            #expect(intelError("::ffff:10.0.0.0/129") == "intel.txt:1: prefix length 129 is too long for IPv6")
        }

        @Test func prefixNotANumber() {
            #expect(intelError("10.0.0.0/eight") == #"intel.txt:1: prefix length "eight" is not a number"#)
            #expect(intelError("10.0.0.0/") == #"intel.txt:1: prefix length "" is not a number"#)
        }

        @Test func notAnAddress() {
            #expect(intelError("evil.example.com") == #"intel.txt:1: "evil.example.com" is not an IPv4 or IPv6 address"#)
            #expect(intelError("192.0.2.1:443") == #"intel.txt:1: "192.0.2.1:443" is not an IPv4 or IPv6 address"#)
            #expect(intelError("2001:db8:::1/64") == #"intel.txt:1: "2001:db8:::1" is not an IPv4 or IPv6 address"#)
            #expect(intelError("fe80::1%eth0") == #"intel.txt:1: "fe80::1%eth0" is not an IPv4 or IPv6 address"#)
        }

        @Test func moreThanOneEntryOnALine() {
            #expect(intelError("192.0.2.1 192.0.2.2")
                == #"intel.txt:1: unexpected "192.0.2.2" after "192.0.2.1"; write one address or range per line"#)
            #expect(intelError("192.0.2.1, 192.0.2.2") == #"intel.txt:1: unexpected "192.0.2.2" after "192.0.2.1,"; write one address or range per line"#)
            #expect(torError("192.0.2.1 2025-06-01") == #"tor.txt:1: unexpected "2025-06-01" after "192.0.2.1"; write one address or range per line"#)
        }

        @Test func rangesDoNotBelongInATorList() {
            #expect(torError("192.0.2.1\n10.0.0.0/8\n") == #"tor.txt:2: "10.0.0.0/8" is a range; a Tor exit list holds single addresses"#)
            #expect(torError("@type tordnsel 1.0\nExitAddress 10.0.0.0/8 2025-06-01 00:00:00\n")
                == #"tor.txt:2: "10.0.0.0/8" is a range; a Tor exit list holds single addresses"#)
            #expect(torError("192.0.2.1/32\n") == nil, "a /32 is one address")
        }

        @Test func torDNSELLineProblems() {
            let header = "@type tordnsel 1.0\nDownloaded 2025-06-02 00:02:01\nExitNode A\n"
            #expect(torError(header + "ExitAddress\n") == "tor.txt:4: ExitAddress line has no address")
            #expect(torError(header + "ExitAddress 300.1.2.3 2025-06-01 00:00:00\n") == #"tor.txt:4: "300.1.2.3" is not an IPv4 or IPv6 address"#)
            #expect(torError(header + "192.0.2.1\n")
                == #"tor.txt:4: unexpected "192.0.2.1" in a TorDNSEL list; addresses belong on ExitAddress lines"#)
        }

        @Test func unsupportedTypeHeader() {
            #expect(torError("@type bridge-network-status 1.2\n")
                == #"tor.txt:1: "@type bridge-network-status" is not a format VaultWatch reads (expected "@type tordnsel 1.0" or one address per line)"#)
            #expect(torError("@something\n192.0.2.1\n")
                == #"tor.txt:1: "@something" is not a format VaultWatch reads (expected "@type tordnsel 1.0" or one address per line)"#)
        }

        @Test func hostileTextIsEscapedAndShortened() throws {
            let message = try #require(intelError("\u{1B}[2J\u{07}evil"))
            #expect(!message.contains("\u{1B}") && !message.contains("\u{07}"))
            #expect(message.hasPrefix("intel.txt:1: \"\\u{1B}[2J\\u{07}evil\""))
            let long = try #require(intelError(String(repeating: "x", count: 10_000)))
            #expect(long.count < 200 && long.contains("…"))
        }

        @Test func invalidUTF8IsReportedNotFatal() throws {
            var bytes = Array("192.0.2.1\n".utf8)
            bytes += [0xC0, 0xFF, 0x31, 0x0A]
            #expect(throws: ThreatIntelError.invalidLine(file: "bin", line: 2, problem: .notAnAddress("\u{FFFD}\u{FFFD}1"))) {
                try ThreatIntelList.parseThreatIntel(bytes: bytes, name: "bin")
            }
        }

        @Test func errorsAreTyped() {
            #expect(throws: ThreatIntelError.invalidLine(file: "intel.txt", line: 1, problem: .prefixLengthTooLong("33", isIPv4: true))) {
                try ThreatIntelList.parseThreatIntel(contents: "10.0.0.0/33", name: "intel.txt")
            }
        }

        // MARK: Files

        @Test func missingFileNamesThePath() throws {
            let directory = try TestPaths.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("absent.txt").path
            #expect(throws: ThreatIntelError.unreadableFile(path: path, kind: .threatIntel, reason: "No such file or directory")) {
                try ThreatIntelList.loadThreatIntel(path: path)
            }
            do {
                _ = try ThreatIntelList.loadThreatIntel(path: path)
            } catch {
                #expect(error.description == "cannot read threat-intel file \(path): No such file or directory")
            }
            do {
                _ = try ThreatIntelList.loadTorExitList(path: path)
            } catch {
                #expect(error.description == "cannot read Tor exit list \(path): No such file or directory")
            }
        }

        @Test func directoryIsUnreadable() throws {
            let directory = try TestPaths.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            #expect(throws: ThreatIntelError.unreadableFile(path: directory.path, kind: .torExits, reason: "Is a directory")) {
                try ThreatIntelList.loadTorExitList(path: directory.path)
            }
        }

        @Test func loadedFileErrorsNameThePathAndListsTheFileName() throws {
            let directory = try TestPaths.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let good = directory.appendingPathComponent("intel.txt")
            try Data("192.0.2.0/24\n".utf8).write(to: good)
            let list = try ThreatIntelList.loadThreatIntel(path: good.path)
            #expect(list.name == "intel.txt" && list.entryCount == 1)

            let bad = directory.appendingPathComponent("tor.txt")
            try Data("192.0.2.1\n192.0.2.256\n".utf8).write(to: bad)
            #expect(throws: ThreatIntelError.invalidLine(file: bad.path, line: 2, problem: .notAnAddress("192.0.2.256"))) {
                try ThreatIntelList.loadTorExitList(path: bad.path)
            }
            let empty = directory.appendingPathComponent("empty.txt")
            try Data().write(to: empty)
            #expect(try ThreatIntelList.loadTorExitList(path: empty.path).ranges.isEmpty)
        }

        // MARK: Bundled demo data and the real TorDNSEL sample

        @Test func demoTorExitList() throws {
            let path = TestPaths.repositoryRoot.appendingPathComponent("demo-data/tor-exit-addresses.txt").path
            let list = try ThreatIntelList.loadTorExitList(path: path)
            #expect(list.format == .torDNSEL && list.name == "tor-exit-addresses.txt")
            #expect(list.entryCount == 11 && list.ranges.count == 10)
            #expect(list.contains(try address("198.51.100.23")))
            #expect(list.contains(try address("2001:db8:7a3::15")))
        }

        @Test func demoThreatIntel() throws {
            let path = TestPaths.repositoryRoot.appendingPathComponent("demo-data/threat-intel.txt").path
            let list = try ThreatIntelList.loadThreatIntel(path: path)
            #expect(list.entryCount == 8 && list.ranges.count == 8)
            #expect(list.contains(try address("198.51.100.100")))
            #expect(list.contains(try address("2001:db8:bad:1::9")))
            let tor = try ThreatIntelList.loadTorExitList(
                path: TestPaths.repositoryRoot.appendingPathComponent("demo-data/tor-exit-addresses.txt").path)
            #expect(!list.ranges.isEmpty && !tor.ranges.isEmpty)
        }

        /// The real TorDNSEL list of 2018-11-01 (shared samples, not in the repository): 934
        /// `ExitAddress` lines naming 869 distinct addresses (some relays share an address).
        @Test(.enabled(if: TestPaths.sharedSamples != nil, "needs ../shared/samples"))
        func realTorDNSELList() throws {
            let samples = try #require(TestPaths.sharedSamples)
            let path = samples.appendingPathComponent("tordnsel-exit-list-2018-11-01-00-02-01.txt").path
            let list = try ThreatIntelList.loadTorExitList(path: path)
            #expect(list.format == .torDNSEL)
            #expect(list.entryCount == 934)
            #expect(list.ranges.count == 869)
            #expect(list.contains(try address("162.247.74.201")))
            #expect(list.contains(try address("199.249.223.62")))
            #expect(!list.contains(try address("192.0.2.1")))
        }
    }
}
