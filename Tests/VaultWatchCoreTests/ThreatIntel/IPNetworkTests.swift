import Testing
@testable import VaultWatchCore

extension ThreatIntelTests {
    @Suite("IPNetwork")
    struct IPNetworkTests {
        private func network(_ text: String) throws -> IPNetwork {
            try #require(IPNetwork(text), "\(text) should parse")
        }

        private func address(_ text: String) throws -> IPAddress {
            try #require(IPAddress(text), "\(text) should parse")
        }

        @Test func singleAddressesAreFullLengthBlocks() throws {
            let v4 = try network("203.0.113.7")
            #expect(v4.isSingleAddress && v4.isIPv4 && v4.prefixLength == 32)
            #expect(v4.description == "203.0.113.7")
            let v6 = try network("2001:db8::1")
            #expect(v6.isSingleAddress && !v6.isIPv4 && v6.prefixLength == 128)
            #expect(v6.first == (try address("2001:db8::1")))
        }

        @Test func ipv4Blocks() throws {
            let block = try network("10.0.0.0/8")
            #expect(block.isIPv4 && block.prefixLength == 8 && !block.isSingleAddress)
            #expect(block.first == (try address("10.0.0.0")))
            #expect(block.last == (try address("10.255.255.255")))
            #expect(block.contains(try address("10.200.1.2")))
            #expect(!block.contains(try address("11.0.0.0")))
            #expect(!block.contains(try address("9.255.255.255")))
            #expect(block.description == "10.0.0.0/8")
        }

        @Test func edgeLengths() throws {
            let all4 = try network("0.0.0.0/0")
            #expect(try all4.first == address("0.0.0.0") && all4.last == address("255.255.255.255"))
            #expect(all4.contains(try address("198.51.100.1")))
            #expect(!all4.contains(try address("2001:db8::1")), "0.0.0.0/0 is IPv4 only")

            let all6 = try network("::/0")
            #expect(all6.contains(try address("2001:db8::1")))
            #expect(all6.contains(try address("198.51.100.1")), "::/0 holds the v4-mapped block too")
            #expect(all6.description == "::/0")

            let slash32 = try network("192.0.2.1/32")
            #expect(try slash32.isSingleAddress && slash32 == network("192.0.2.1"))
            let slash128 = try network("2001:db8::5/128")
            #expect(try slash128.isSingleAddress && slash128 == network("2001:db8::5"))

            let slash31 = try network("192.0.2.6/31")
            #expect(try slash31.first == address("192.0.2.6") && slash31.last == address("192.0.2.7"))
            #expect(try !slash31.contains(address("192.0.2.5")) && !slash31.contains(address("192.0.2.8")))

            let slash127 = try network("2001:db8::/127")
            #expect(slash127.last == (try address("2001:db8::1")))

            let slash64 = try network("2001:db8:1:2::/64")
            #expect(slash64.last == (try address("2001:db8:1:2:ffff:ffff:ffff:ffff")))
            #expect(!slash64.contains(try address("2001:db8:1:3::")))
        }

        @Test func hostBitsAreClearedNotRejected() throws {
            let block = try network("10.1.2.3/8")
            #expect(block == (try network("10.0.0.0/8")))
            #expect(block.description == "10.0.0.0/8")
            #expect(try network("2001:db8:abcd::1/32") == (try network("2001:db8::/32")))
        }

        @Test func v4MappedIPv6SyntaxCountsAll128Bits() throws {
            let mapped = try network("::ffff:10.0.0.0/104")
            #expect(mapped == (try network("10.0.0.0/8")))
            #expect(mapped.isIPv4 && mapped.prefixLength == 8 && mapped.description == "10.0.0.0/8")
            #expect(try network("::ffff:0:0/96") == (try network("0.0.0.0/0")))
            #expect(try network("::ffff:192.0.2.1") == (try network("192.0.2.1")))
            let wider = try network("::ffff:0:0/95")
            #expect(!wider.isIPv4 && wider.prefixLength == 95)
        }

        @Test func bracketedIPv6IsAccepted() throws {
            #expect(try network("[2001:db8::1]") == (try network("2001:db8::1")))
            #expect(try network("[2001:db8::]/32") == (try network("2001:db8::/32")))
        }

        @Test(arguments: ["", "/8", "300.1.2.3", "10.0.0", "1.2.3.4:80", "[::1]:443", "fe80::1%eth0", "[1.2.3.4]",
                          "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1", "10.0.0.0/33", "::/129", "10.0.0.0/8/8", " 10.0.0.1", "example.com"])
        func rejects(text: String) {
            #expect(IPNetwork(text) == nil)
        }

        @Test func parseNamesTheProblem() {
            func problem(_ text: String) -> ThreatIntelError.Problem? {
                var copy = text
                return copy.withUTF8 { buffer -> ThreatIntelError.Problem? in
                    do throws(ThreatIntelError.Problem) { _ = try IPNetwork.parse(UnsafeRawBufferPointer(buffer)); return nil } catch { return error }
                }
            }
            #expect(problem("300.1.2.3") == .notAnAddress("300.1.2.3"))
            #expect(problem("300.1.2.3/8") == .notAnAddress("300.1.2.3"))
            #expect(problem("10.0.0.0/33") == .prefixLengthTooLong("33", isIPv4: true))
            #expect(problem("::/129") == .prefixLengthTooLong("129", isIPv4: false))
            #expect(problem("10.0.0.0/00000000000000000033") == .prefixLengthTooLong("00000000000000000033", isIPv4: true))
            #expect(problem("10.0.0.0/abc") == .prefixLengthNotANumber("abc"))
            #expect(problem("10.0.0.0/") == .prefixLengthNotANumber(""))
            #expect(problem("10.0.0.0/008") == nil)
        }

        @Test func initFromAddressAndLengthCountsTheFamilysBits() throws {
            let v4 = try #require(IPNetwork(address: try address("192.0.2.77"), prefixLength: 24))
            #expect(v4.description == "192.0.2.0/24")
            #expect(IPNetwork(address: try address("192.0.2.77"), prefixLength: 33) == nil)
            #expect(IPNetwork(address: try address("192.0.2.77"), prefixLength: -1) == nil)
            let v6 = try #require(IPNetwork(address: try address("2001:db8::77"), prefixLength: 48))
            #expect(v6.description == "2001:db8::/48")
            #expect(IPNetwork(address: try address("2001:db8::77"), prefixLength: 129) == nil)
        }
    }
}
