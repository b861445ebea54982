import Testing
import VaultWatchCore

@Suite("IPAddress")
struct IPAddressTests {
    private func address(_ text: String) throws -> IPAddress {
        try #require(IPAddress(text), "\(text) should parse")
    }

    // MARK: Parsing

    @Test func ipv4() throws {
        let value = try address("203.0.113.7")
        #expect(value.isIPv4)
        #expect(value.ipv4Value == 0xCB00_7107)
        #expect(value == IPAddress(ipv4: 0xCB00_7107))
        #expect(value == IPAddress(high: 0, low: 0x0000_FFFF_CB00_7107))
        #expect(try address("0.0.0.0").ipv4Value == 0)
        #expect(try address("255.255.255.255").ipv4Value == 0xFFFF_FFFF)
        #expect(try address("010.001.000.009") == (try address("10.1.0.9")), "leading zeros are decimal, not octal")
        #expect(try address("  192.0.2.1  ") == (try address("192.0.2.1")), "surrounding spaces are trimmed")
    }

    @Test func ipv4WithPort() throws {
        #expect(try address("192.0.2.1:443") == (try address("192.0.2.1")))
        #expect(try address("192.0.2.1:0") == (try address("192.0.2.1")))
        #expect(try address("192.0.2.1:65535") == (try address("192.0.2.1")))
    }

    @Test func ipv6WithCompression() throws {
        #expect(try address("::") == IPAddress(high: 0, low: 0))
        #expect(try address("::1") == IPAddress(high: 0, low: 1))
        #expect(try address("1::") == IPAddress(high: 0x0001_0000_0000_0000, low: 0))
        #expect(try address("2001:db8::1") == IPAddress(high: 0x2001_0db8_0000_0000, low: 1))
        #expect(try address("2001:DB8:0:0:8:800:200C:417A") == IPAddress(high: 0x2001_0db8_0000_0000, low: 0x0008_0800_200c_417a))
        #expect(try address("2001:db8::8:800:200c:417a") == (try address("2001:DB8:0:0:8:800:200C:417A")))
        #expect(try address("::2:3:4:5:6:7:8") == IPAddress(high: 0x0000_0002_0003_0004, low: 0x0005_0006_0007_0008))
        #expect(try address("1:2:3:4:5:6:7::") == IPAddress(high: 0x0001_0002_0003_0004, low: 0x0005_0006_0007_0000))
        #expect(try address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") == IPAddress(high: .max, low: .max))
        #expect(!(try address("2001:db8::1")).isIPv4)
        #expect(try address("2001:db8::1").ipv4Value == nil)
    }

    @Test func embeddedIPv4() throws {
        let mapped = try address("::ffff:192.0.2.1")
        #expect(try mapped.isIPv4 && mapped == address("192.0.2.1"), "v4-mapped is the IPv4 address")
        #expect(try address("::FFFF:c000:0201") == mapped)
        let compatible = try address("::192.0.2.1")
        #expect(!compatible.isIPv4 && compatible == IPAddress(high: 0, low: 0xC000_0201))
        #expect(try address("64:ff9b::198.51.100.7") == IPAddress(high: 0x0064_ff9b_0000_0000, low: 0xC633_6407))
        #expect(try address("1:2:3:4:5:6:1.2.3.4") == IPAddress(high: 0x0001_0002_0003_0004, low: 0x0005_0006_0102_0304))
    }

    @Test func zoneIdAndBrackets() throws {
        let linkLocal = IPAddress(high: 0xfe80_0000_0000_0000, low: 1)
        #expect(try address("fe80::1%eth0") == linkLocal)
        #expect(try address("fe80::1%25") == linkLocal)
        #expect(try address("[fe80::1]") == linkLocal)
        #expect(try address("[fe80::1]:8443") == linkLocal)
        #expect(try address("[fe80::1%eth0]") == linkLocal)
        #expect(try address("[fe80::1%eth0]:8443") == linkLocal)
        #expect(try address("[::ffff:192.0.2.1]:443") == (try address("192.0.2.1")))
    }

    @Test(arguments: [
        "", " ", "1", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.1000", "1..2.3", ".1.2.3", "1.2.3.4.", "1.2.3.a", "-1.2.3.4",
        "1.2.3.4:", "1.2.3.4:http", "1.2.3.4:65536", "1.2.3.4:80:80",
        ":", ":::", "1:::2", "::1::", ":1::", "1::2:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8",
        "12345::", "g::", "1.2.3.4::", "::1.2.3", "::256.1.1.1", "1:2:3:4:5:6:7:1.2.3.4",
        "[", "[]", "[::1", "::1]", "[1.2.3.4]", "[::1]x", "[::1]:", "[::1]:port", "[::1]:70000",
        "example.com", "localhost",
    ])
    func invalid(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func parsesFromRawBytes() throws {
        let bytes = Array("198.51.100.7".utf8)
        let parsed = bytes.withUnsafeBytes { IPAddress.parse($0) }
        #expect(parsed == (try address("198.51.100.7")))
        let empty = [UInt8]().withUnsafeBytes { IPAddress.parse($0) }
        #expect(empty == nil)
    }

    // MARK: Description (RFC 5952)

    @Test(arguments: [
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  // a lone zero group stays
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),  // the longest run is compressed
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),  // the first of equal runs
        ("0:0:0:0:0:0:0:0", "::"),
        ("0:0:0:0:0:0:0:1", "::1"),
        ("1:0:0:0:0:0:0:0", "1::"),
        ("fe80:0:0:0:0:0:0:1%eth0", "fe80::1"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("::192.0.2.1", "::c000:201"),
        ("1.2.3.4", "1.2.3.4"),
        ("010.0.0.1", "10.0.0.1"),
        ("ABCD:EF01:2345:6789:ABCD:EF01:2345:6789", "abcd:ef01:2345:6789:abcd:ef01:2345:6789"),
    ])
    func description(input: String, expected: String) throws {
        let value = try address(input)
        #expect(value.description == expected)
        #expect(IPAddress(value.description) == value, "round trip")
    }

    @Test func descriptionRoundTripsOverManyAddresses() {
        var state: UInt64 = 0x1234_5678
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
        for index in 0..<2_000 {
            // Zero out random 16-bit groups so the compression cases are exercised.
            var high = next(), low = next()
            let zeros = next()
            for group in 0..<4 where zeros >> UInt64(group) & 1 == 1 { high &= ~(0xFFFF << UInt64(group * 16)) }
            for group in 0..<4 where zeros >> UInt64(group + 4) & 1 == 1 { low &= ~(0xFFFF << UInt64(group * 16)) }
            let value = index.isMultiple(of: 5) ? IPAddress(ipv4: UInt32(truncatingIfNeeded: low)) : IPAddress(high: high, low: low)
            #expect(IPAddress(value.description) == value, "\(value)")
        }
    }

    // MARK: Order, masking, network range

    @Test func ordering() throws {
        #expect(try address("::") < (try address("::1")))
        #expect(try address("10.0.0.1") < (try address("10.0.0.2")))
        #expect(try address("0:0:0:1::") > (try address("::ffff:255.255.255.255")))
        #expect(try address("2001:db8::") < (try address("2001:db9::")))
    }

    @Test func maskedCountsIPv4BitsForIPv4() throws {
        let v4 = try address("192.0.2.77")
        #expect(v4.masked(prefixLength: 24) == (try address("192.0.2.0")))
        #expect(v4.masked(prefixLength: 32) == v4)
        #expect(v4.masked(prefixLength: 31) == (try address("192.0.2.76")))
        #expect(v4.masked(prefixLength: 0) == (try address("0.0.0.0")))
        #expect(v4.masked(prefixLength: 0).isIPv4, "masking keeps the v4-mapped prefix")
        #expect(v4.masked(prefixLength: 40) == v4, "clamped to 32")
        #expect(v4.masked(prefixLength: -3) == (try address("0.0.0.0")), "clamped to 0")
    }

    @Test func maskedCounts128BitsForIPv6() throws {
        let v6 = try address("2001:db8:abcd:1234:5678:9abc:def0:1234")
        #expect(v6.masked(prefixLength: 128) == v6)
        #expect(v6.masked(prefixLength: 64) == (try address("2001:db8:abcd:1234::")))
        #expect(v6.masked(prefixLength: 48) == (try address("2001:db8:abcd::")))
        #expect(v6.masked(prefixLength: 65) == (try address("2001:db8:abcd:1234::")))
        #expect(v6.masked(prefixLength: 66) == (try address("2001:db8:abcd:1234:4000::")))
        #expect(v6.masked(prefixLength: 1) == (try address("::")))
        #expect(v6.masked(prefixLength: 0) == (try address("::")))
        #expect(v6.masked(prefixLength: 200) == v6)
    }

    @Test func networkRangeIsSlash24OrSlash48() throws {
        #expect(try address("192.0.2.77").networkRange == (try address("192.0.2.0")))
        #expect(try address("::ffff:192.0.2.77").networkRange == (try address("192.0.2.0")))
        #expect(try address("2001:db8:abcd:1234::1").networkRange == (try address("2001:db8:abcd::")))
        #expect(try address("192.0.2.1").networkRange == (try address("192.0.2.254")).networkRange)
        #expect(try address("192.0.2.1").networkRange != (try address("192.0.3.1")).networkRange)
    }
}
