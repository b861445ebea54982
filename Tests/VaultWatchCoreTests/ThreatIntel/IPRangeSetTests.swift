import Testing
import VaultWatchCore

extension ThreatIntelTests {
    @Suite("IPRangeSet")
    struct IPRangeSetTests {
        private func set(_ entries: [String]) throws -> IPRangeSet {
            IPRangeSet(try entries.map { try #require(IPNetwork($0), "\($0) should parse") })
        }

        private func address(_ text: String) throws -> IPAddress {
            try #require(IPAddress(text), "\(text) should parse")
        }

        @Test func emptySetHoldsNothing() throws {
            let empty = IPRangeSet.empty
            #expect(empty.isEmpty && empty.count == 0)
            #expect(!empty.contains(try address("0.0.0.0")))
            #expect(!empty.contains(try address("::")))
            #expect(IPRangeSet(addresses: []) == empty)
        }

        @Test func singleAddressesBothFamilies() throws {
            let ranges = try set(["192.0.2.1", "2001:db8::1"])
            #expect(ranges.count == 2 && !ranges.isEmpty)
            #expect(ranges.contains(try address("192.0.2.1")))
            #expect(ranges.contains(try address("2001:db8::1")))
            #expect(ranges.contains(try address("2001:DB8:0:0:0:0:0:1")))
            #expect(!ranges.contains(try address("192.0.2.2")))
            #expect(!ranges.contains(try address("2001:db8::2")))
        }

        @Test func v4MappedCallersMatchIPv4Entries() throws {
            let ranges = try set(["203.0.113.7", "198.51.100.0/24"])
            #expect(ranges.contains(try address("::ffff:203.0.113.7")))
            #expect(ranges.contains(try address("::ffff:c633:64ff")))  // 198.51.100.255
            let mappedEntries = try set(["::ffff:203.0.113.7", "::ffff:198.51.100.0/120"])
            #expect(mappedEntries.contains(try address("203.0.113.7")))
            #expect(mappedEntries.contains(try address("198.51.100.9")))
            #expect(mappedEntries == ranges)
            // IPv4-compatible (::a.b.c.d, deprecated) is a different, IPv6 address.
            #expect(!ranges.contains(try address("::203.0.113.7")))
        }

        @Test func blocksMatchTheirBoundsAndNothingOutside() throws {
            let ranges = try set(["10.0.0.0/8", "192.0.2.64/26", "2001:db8::/32"])
            for inside in ["10.0.0.0", "10.255.255.255", "192.0.2.64", "192.0.2.127", "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"] {
                #expect(ranges.contains(try address(inside)), "\(inside)")
            }
            for outside in ["9.255.255.255", "11.0.0.0", "192.0.2.63", "192.0.2.128", "2001:db7:ffff::", "2001:db9::", "::ffff:0:0", "::"] {
                #expect(!ranges.contains(try address(outside)), "\(outside)")
            }
        }

        @Test func overlappingAndAdjacentBlocksMerge() throws {
            let ranges = try set(["10.0.0.0/24", "10.0.1.0/24", "10.0.0.128/25", "10.0.3.0/24", "10.0.0.5"])
            #expect(ranges.count == 5)
            for inside in ["10.0.0.0", "10.0.0.255", "10.0.1.0", "10.0.1.255", "10.0.3.0", "10.0.3.255", "10.0.0.5"] {
                #expect(ranges.contains(try address(inside)), "\(inside)")
            }
            #expect(!ranges.contains(try address("10.0.2.0")))
            #expect(!ranges.contains(try address("10.0.2.255")))
            #expect(!ranges.contains(try address("10.0.4.0")))
        }

        @Test func blocksAtTheEndsOfTheAddressSpace() throws {
            let ranges = try set(["::/1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127", "8000::/1"])
            #expect(ranges.contains(try address("::")))
            #expect(ranges.contains(try address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")))
            #expect(ranges.contains(try address("8000::")))
            #expect(ranges.contains(try address("7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")))
            let everything = try set(["::/0"])
            #expect(try everything.contains(address("192.0.2.1")) && everything.contains(address("2001:db8::1")))
            let allIPv4 = try set(["0.0.0.0/0"])
            #expect(try allIPv4.contains(address("0.0.0.0")) && allIPv4.contains(address("255.255.255.255")))
            #expect(try !allIPv4.contains(address("2001:db8::1")) && !allIPv4.contains(address("::")))
        }

        @Test func countsDistinctEntries() throws {
            let ranges = try set(["192.0.2.1", "192.0.2.1", "::ffff:192.0.2.1", "10.1.2.3/8", "10.0.0.0/8", "10.0.0.1"])
            // 192.0.2.1 three ways is one entry; 10.1.2.3/8 is 10.0.0.0/8; 10.0.0.1 is its own entry.
            #expect(ranges.count == 3)
            #expect(ranges.contains(try address("10.0.0.1")))
        }

        @Test func manySingleAddressesAllFoundAndNeighboursNot() {
            var generator = SeededRandom(seed: 7)
            var entries = Set<IPAddress>()
            while entries.count < 3_000 {
                let value = generator.next()
                // Even values: clustered IPv4 (same /16, stressing the hash); odd: spread IPv6.
                entries.insert(value.isMultiple(of: 2)
                    ? IPAddress(ipv4: 0xC633_0000 | UInt32(truncatingIfNeeded: value >> 48) & 0xFFFE)
                    : IPAddress(high: 0x2001_0db8_0000_0000 | value >> 40, low: generator.next() & ~1))
            }
            let ranges = IPRangeSet(addresses: entries)
            #expect(ranges.count == entries.count)
            for entry in entries {
                #expect(ranges.contains(entry))
                // Every entry above has its last bit clear, so the odd neighbour is never an entry.
                #expect(!ranges.contains(IPAddress(high: entry.high, low: entry.low | 1)))
            }
        }

        @Test func equalityIgnoresBuildOrder() throws {
            let entries = ["192.0.2.1", "2001:db8::/48", "10.0.0.0/8", "203.0.113.9", "10.0.0.0/9", "2001:db8::1"]
            #expect(try set(entries) == (try set(entries.reversed())))
            #expect(try set(entries) != (try set(Array(entries.dropLast()))))
        }

        @Test func agreesWithANaiveScanOnManyBlocks() throws {
            // A deterministic spread of v4 and v6 blocks; every probe must agree with IPNetwork.contains.
            var generator = SeededRandom(seed: 42)
            var networks: [IPNetwork] = []
            for _ in 0..<300 {
                let value = UInt32(truncatingIfNeeded: generator.next()) & 0x0FFF_FFFF
                let length = 8 + Int(generator.next() % 25)
                networks.append(try #require(IPNetwork(address: IPAddress(ipv4: value), prefixLength: length)))
                let v6 = IPAddress(high: 0x2001_0db8_0000_0000 | (generator.next() & 0xFFFF_FFFF), low: generator.next())
                networks.append(try #require(IPNetwork(address: v6, prefixLength: 48 + Int(generator.next() % 81))))
            }
            let ranges = IPRangeSet(networks)
            var hits = 0
            for index in 0..<5_000 {
                let probe: IPAddress = index.isMultiple(of: 2)
                    ? IPAddress(ipv4: UInt32(truncatingIfNeeded: generator.next()) & 0x0FFF_FFFF)
                    : networks[Int(generator.next() % UInt64(networks.count))].first
                let expected = networks.contains { $0.contains(probe) }
                #expect(ranges.contains(probe) == expected, "\(probe)")
                if expected { hits += 1 }
            }
            #expect(hits >= 2_500 && hits < 5_000, "the probes should exercise both answers")
        }
    }
}
