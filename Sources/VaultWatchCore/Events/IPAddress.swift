/// An IPv4 or IPv6 address, held in 16 bytes (IPv4 as the IPv4-mapped `::ffff:a.b.c.d`).
public struct IPAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The first and last 64 bits of the 128-bit address, big-endian order.
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public init(ipv4 value: UInt32) {
        self.high = 0
        self.low = 0x0000_FFFF_0000_0000 | UInt64(value)
    }

    public var isIPv4: Bool { high == 0 && (low >> 32) == 0x0000_FFFF }

    public var ipv4Value: UInt32? { isIPv4 ? UInt32(truncatingIfNeeded: low) : nil }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }

    /// The address with all but the first `prefixLength` bits cleared. For IPv4 the length
    /// counts IPv4 bits (0–32), for IPv6 the 128 bits.
    public func masked(prefixLength: Int) -> IPAddress {
        let bits = isIPv4 ? 96 + max(0, min(32, prefixLength)) : max(0, min(128, prefixLength))
        func mask(_ keep: Int) -> UInt64 {
            keep <= 0 ? 0 : keep >= 64 ? .max : ~(UInt64.max >> UInt64(keep))
        }
        return IPAddress(high: high & mask(bits), low: low & mask(bits - 64))
    }

    /// The range an address belongs to for "familiar network" purposes: /24 for IPv4, /48 for IPv6.
    public var networkRange: IPAddress { masked(prefixLength: isIPv4 ? 24 : 48) }

    public var description: String {
        if let v4 = ipv4Value {
            return "\(v4 >> 24).\((v4 >> 16) & 0xFF).\((v4 >> 8) & 0xFF).\(v4 & 0xFF)"
        }
        var groups: [UInt16] = []
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: low >> UInt64(shift))) }
        // RFC 5952: compress the longest run (length ≥ 2) of zero groups, the first on a tie.
        var bestStart = -1, bestLength = 0, runStart = -1
        for index in 0...8 {
            if index < 8 && groups[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                if index - runStart > bestLength { bestStart = runStart; bestLength = index - runStart }
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var text = ""
        var index = 0
        while index < 8 {
            if index == bestStart {
                text += "::"
                index += bestLength
                continue
            }
            if !text.isEmpty && !text.hasSuffix(":") { text += ":" }
            text += String(groups[index], radix: 16)
            index += 1
        }
        return text
    }

    /// `description`'s UTF-8 bytes handed to `body`, an IPv4 address's written into a buffer on
    /// the stack rather than a string: the saved state writes every held event's caller (some 2,000
    /// instructions an event through `description`'s interpolation, 7% of a save's export on the
    /// benchmark's synthetic records). The same bytes as `description`'s.
    func withDescriptionUTF8<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        guard let value = ipv4Value else {
            var text = description
            return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
        // At most 15 bytes: "255.255.255.255".
        var buffer: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &buffer) { text in
            var length = 0
            for shift in stride(from: 24, through: 0, by: -8) {
                let octet = UInt8(truncatingIfNeeded: value >> UInt32(shift))
                if shift != 24 {
                    text[length] = UInt8(ascii: ".")
                    length += 1
                }
                if octet >= 100 {
                    text[length] = UInt8(ascii: "0") + octet / 100
                    length += 1
                }
                if octet >= 10 {
                    text[length] = UInt8(ascii: "0") + octet / 10 % 10
                    length += 1
                }
                text[length] = UInt8(ascii: "0") + octet % 10
                length += 1
            }
            return body(UnsafeRawBufferPointer(rebasing: text[..<length]))
        }
    }
}

extension IPAddress {
    public init?(_ text: String) {
        var copy = text
        guard let address = copy.withUTF8({ IPAddress.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = address
    }

    /// Parses an address as callers write it: dotted IPv4 (optionally with `:port`), IPv6 with
    /// `::` compression, an embedded IPv4 tail, a `%zone` suffix or `[…]` brackets (optionally
    /// with `:port`). Returns nil for anything else.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> IPAddress? {
        // A dotted IPv4 with nothing around it (nearly every caller's address): read at once,
        // without the trimming and bracket checks below, which would leave it as it is.
        if let base = bytes.baseAddress, bytes.count >= 7,
            base.load(as: UInt8.self) &- 48 <= 9, base.load(fromByteOffset: bytes.count &- 1, as: UInt8.self) &- 48 <= 9,
            let ipv4 = parseIPv4(bytes, 0, bytes.count) {
            return IPAddress(ipv4: ipv4)
        }
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 32 { start += 1 }
        while end > start, bytes[end - 1] == 32 { end -= 1 }
        guard start < end else { return nil }
        if bytes[start] == UInt8(ascii: "[") {
            guard let close = (start..<end).first(where: { bytes[$0] == UInt8(ascii: "]") }) else { return nil }
            // `[v6]` or `[v6]:port`; a zone inside (`[fe80::1%eth0]`) is dropped, as it is unbracketed.
            guard close + 1 == end || isPort(bytes, close + 1, end) else { return nil }
            let inner = (start + 1..<close).first(where: { bytes[$0] == UInt8(ascii: "%") }) ?? close
            return parseIPv6(bytes, start + 1, inner)
        }
        // Dotted IPv4, nearly every caller: read at once (a colon makes it fail, then the
        // address is told apart by its colons as below), rather than counting colons first.
        if let ipv4 = parseIPv4(bytes, start, end) { return IPAddress(ipv4: ipv4) }
        var colons = 0
        for index in start..<end where bytes[index] == UInt8(ascii: ":") { colons += 1 }
        if colons == 0 { return nil }
        if colons == 1, let colon = (start..<end).first(where: { bytes[$0] == UInt8(ascii: ":") }) {
            // a.b.c.d:port
            guard isPort(bytes, colon, end) else { return nil }
            return parseIPv4(bytes, start, colon).map { IPAddress(ipv4: $0) }
        }
        if let percent = (start..<end).first(where: { bytes[$0] == UInt8(ascii: "%") }) { end = percent }
        return parseIPv6(bytes, start, end)
    }

    /// Whether `bytes[colon..<end]` is `:` and a port number (0–65535), so junk after an
    /// address (`1.2.3.4:http`, `[::1]x`) is refused rather than silently dropped.
    static func isPort(_ bytes: UnsafeRawBufferPointer, _ colon: Int, _ end: Int) -> Bool {
        guard colon < end, bytes[colon] == UInt8(ascii: ":"), end - colon - 1 >= 1, end - colon - 1 <= 5 else { return false }
        var value = 0
        for index in (colon + 1)..<end {
            let byte = bytes[index]
            guard byte >= 48 && byte <= 57 else { return false }
            value = value * 10 + Int(byte - 48)
        }
        return value <= 65_535
    }

    /// A dotted IPv4 address in `bytes[start..<end]`: four decimal octets of one to three digits,
    /// each at most 255. Read through the buffer's pointer with wrapping arithmetic (every
    /// caller's address goes through here: indexing checked each byte's bounds and each sum for
    /// overflow, about twice the work); `octet` stays below 256 and `digits` below 4 or it returns.
    static func parseIPv4(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> UInt32? {
        guard start >= 0, start < end, end <= bytes.count, let base = bytes.baseAddress else { return nil }
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        var index = start
        while index < end {
            let digit = base.load(fromByteOffset: index, as: UInt8.self) &- 48
            if digit <= 9 {
                octet = octet &* 10 &+ UInt32(digit)
                digits &+= 1
                if digits > 3 || octet > 255 { return nil }
            } else if digit == 0xFE {  // "." (46) less 48, wrapped
                if digits == 0 { return nil }
                value = value &<< 8 | octet
                octet = 0
                digits = 0
                dots &+= 1
            } else {
                return nil
            }
            index &+= 1
        }
        guard dots == 3, digits > 0 else { return nil }
        return value &<< 8 | octet
    }

    static func parseIPv6(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> IPAddress? {
        var groups: [UInt16] = []
        var compressAt: Int? = nil
        var index = start
        guard end > start else { return nil }
        if bytes[index] == 58 {
            guard index + 1 < end, bytes[index + 1] == 58 else { return nil }
            compressAt = 0
            index += 2
        }
        while index < end {
            // Embedded IPv4 at the tail.
            var probe = index
            var sawDot = false
            while probe < end, bytes[probe] != 58 { if bytes[probe] == 46 { sawDot = true }; probe += 1 }
            if sawDot {
                guard probe == end, let v4 = parseIPv4(bytes, index, end) else { return nil }
                groups.append(UInt16(v4 >> 16))
                groups.append(UInt16(v4 & 0xFFFF))
                index = end
                break
            }
            var value: UInt32 = 0
            var digits = 0
            while index < end, bytes[index] != 58 {
                let byte = bytes[index]
                let nibble: UInt32
                switch byte {
                case 48...57: nibble = UInt32(byte - 48)
                case 97...102: nibble = UInt32(byte - 87)
                case 65...70: nibble = UInt32(byte - 55)
                default: return nil
                }
                value = value << 4 | nibble
                digits += 1
                if digits > 4 { return nil }
                index += 1
            }
            guard digits > 0 else { return nil }
            groups.append(UInt16(value))
            if index < end {
                index += 1  // the colon
                if index < end, bytes[index] == 58 {
                    guard compressAt == nil else { return nil }
                    compressAt = groups.count
                    index += 1
                } else if index == end {
                    return nil  // trailing single colon
                }
            }
        }
        if let at = compressAt {
            guard groups.count < 8 else { return nil }
            groups.insert(contentsOf: Array(repeating: 0, count: 8 - groups.count), at: at)
        }
        guard groups.count == 8 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for group in groups[0..<4] { high = high << 16 | UInt64(group) }
        for group in groups[4..<8] { low = low << 16 | UInt64(group) }
        return IPAddress(high: high, low: low)
    }
}
