/// Reads the lines of a Tor exit list or threat-intel file into blocks, or says which line is
/// wrong and why.
///
/// Lines end in `\n` or `\r\n`; a UTF-8 byte-order mark is skipped; `#` starts a comment
/// anywhere on a line; blank lines and surrounding whitespace are ignored.
struct ThreatIntelParser {
    let name: String
    let kind: ThreatIntelList.Kind

    /// The TorDNSEL keywords: a first line starting with one of them marks the TorDNSEL format.
    private static let torDNSELKeywords: Set<String> = ["ExitNode", "Published", "LastStatus", "ExitAddress", "Downloaded"]

    func parse(_ bytes: UnsafeRawBufferPointer) throws(ThreatIntelError) -> (networks: [IPNetwork], format: ThreatIntelList.Format) {
        var networks: [IPNetwork] = []
        var format: ThreatIntelList.Format? = kind == .threatIntel ? .addressList : nil
        var lineStart = Self.hasByteOrderMark(bytes) ? 3 : 0
        var lineNumber = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            lineNumber += 1
            let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd])
            lineStart = lineEnd + 1

            let words = Self.words(of: line)
            guard let first = words.first else { continue }
            do {
                if format == nil { format = try Self.detectFormat(first: first, second: words.count > 1 ? words[1] : nil) }
                if format == .torDNSEL {
                    if let network = try torDNSELEntry(words) { networks.append(network) }
                } else {
                    networks.append(try addressListEntry(words))
                }
            } catch {
                throw .invalidLine(file: name, line: lineNumber, problem: error)
            }
        }
        return (networks, format ?? .addressList)
    }

    /// The TorDNSEL format when the first line is its `@type` header or one of its keyword lines;
    /// otherwise a list of addresses.
    private static func detectFormat(first: UnsafeRawBufferPointer, second: UnsafeRawBufferPointer?) throws(ThreatIntelError.Problem) -> ThreatIntelList.Format {
        let keyword = String(decoding: first, as: UTF8.self)
        if keyword == "@type" {
            guard let second, String(decoding: second, as: UTF8.self) == "tordnsel" else {
                let rest = second.map { " " + String(decoding: $0, as: UTF8.self) } ?? ""
                throw .unsupportedFormat(keyword + rest)
            }
            return .torDNSEL
        }
        if first.first == UInt8(ascii: "@") { throw .unsupportedFormat(keyword) }
        return torDNSELKeywords.contains(keyword) ? .torDNSEL : .addressList
    }

    /// Only `ExitAddress IP DATE TIME` matters. Other keyword lines (`ExitNode`, `Published`,
    /// `LastStatus`, `@` annotations, and keywords a later TorDNSEL version may add) are skipped.
    private func torDNSELEntry(_ words: [UnsafeRawBufferPointer]) throws(ThreatIntelError.Problem) -> IPNetwork? {
        let first = words[0]
        guard let lead = first.first, Self.isLetter(lead) || lead == UInt8(ascii: "@") else {
            throw .notATorDNSELLine(String(decoding: first, as: UTF8.self))
        }
        guard first.elementsEqual("ExitAddress".utf8) else { return nil }
        guard words.count > 1 else { throw .missingExitAddress }
        return try singleAddress(words[1])
    }

    /// One address, or for a threat-intel file one address or block, alone on its line.
    private func addressListEntry(_ words: [UnsafeRawBufferPointer]) throws(ThreatIntelError.Problem) -> IPNetwork {
        if words.count > 1 {
            throw .unexpectedText(String(decoding: words[1], as: UTF8.self), after: String(decoding: words[0], as: UTF8.self))
        }
        return kind == .torExits ? try singleAddress(words[0]) : try IPNetwork.parse(words[0])
    }

    private func singleAddress(_ word: UnsafeRawBufferPointer) throws(ThreatIntelError.Problem) -> IPNetwork {
        let network = try IPNetwork.parse(word)
        guard network.isSingleAddress else { throw .rangeInTorExitList(String(decoding: word, as: UTF8.self)) }
        return network
    }

    /// The whitespace-separated words of a line, up to its `#` comment (at most three: no
    /// entry needs more, and a long line should cost nothing).
    private static func words(of line: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer] {
        var words: [UnsafeRawBufferPointer] = []
        var index = 0
        while index < line.count, words.count < 3 {
            while index < line.count, isSpace(line[index]) { index += 1 }
            guard index < line.count, line[index] != UInt8(ascii: "#") else { break }
            let start = index
            while index < line.count, !isSpace(line[index]), line[index] != UInt8(ascii: "#") { index += 1 }
            words.append(UnsafeRawBufferPointer(rebasing: line[start..<index]))
        }
        return words
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 32 || (9...13).contains(byte)  // space, \t \n \v \f \r
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func hasByteOrderMark(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }
}
