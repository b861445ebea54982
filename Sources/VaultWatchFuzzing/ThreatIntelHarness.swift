import VaultWatchCore

/// The same bytes read as a `--tor-exits` list (TorDNSEL or bare addresses) and as a
/// `--threat-intel` list (addresses and CIDR blocks). A list is all or nothing: it loads, or
/// the error names the file and a line inside it.
enum ThreatIntelHarness {
    static let fileName = "fuzz-list.txt"

    static func run(_ input: UnsafeRawBufferPointer) -> FuzzOutcome {
        let bytes = Array(input)
        var lineCount = 1
        for byte in bytes where byte == 0x0A { lineCount += 1 }
        var outcome = FuzzOutcome()
        for kind in [ThreatIntelList.Kind.torExits, .threatIntel] {
            do throws(ThreatIntelError) {
                let list = kind == .torExits
                    ? try ThreatIntelList.parseTorExitList(bytes: bytes, name: fileName)
                    : try ThreatIntelList.parseThreatIntel(bytes: bytes, name: fileName)
                outcome.require(list.entryCount <= lineCount, "\(list.entryCount) entries from \(lineCount) lines")
            } catch {
                switch error {
                case .invalidLine(_, let line, _):
                    outcome.requireLocated(error.description, name: fileName, line: line, lineCount: lineCount)
                case .unreadableFile:
                    outcome.violations.append("parsing bytes reported an unreadable file: \(error)")
                }
            }
        }
        return outcome
    }
}
