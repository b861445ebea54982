import Testing
@testable import VaultWatchCore

/// `IPAddress.withDescriptionUTF8` writes an IPv4 address's text on the stack (the saved state's
/// held events): the bytes of `description`, for every octet's number of digits.
@Suite("An address's text without a string")
struct IPAddressTextTests {
    @Test("100,000 IPv4 addresses, every octet 0 to 255 in every position, and IPv6 ones: description's bytes")
    func sameBytesAsDescription() {
        var random = SeededRandom(seed: 21)
        var addresses: [IPAddress] = []
        for octet in UInt32(0)...255 {
            for shift in [0, 8, 16, 24] as [UInt32] { addresses.append(IPAddress(ipv4: octet << shift | 0x0A00_0001 & ~(0xFF << shift))) }
        }
        for _ in 0..<100_000 { addresses.append(IPAddress(ipv4: UInt32.random(in: 0...UInt32.max, using: &random))) }
        addresses += [IPAddress(ipv4: 0), IPAddress(ipv4: .max), IPAddress(high: 0x2001_0db8_0000_0000, low: 1), IPAddress(high: 0, low: 1)]
        for _ in 0..<1_000 {
            addresses.append(IPAddress(high: UInt64.random(in: 0...UInt64.max, using: &random), low: UInt64.random(in: 0...UInt64.max, using: &random)))
        }
        var differing = 0
        for address in addresses {
            let bytes = address.withDescriptionUTF8 { Array($0) }
            if bytes != Array(address.description.utf8) {
                differing += 1
                if differing <= 5 { Issue.record("\(address): \(String(decoding: bytes, as: UTF8.self))") }
            }
        }
        #expect(differing == 0)
    }
}
