#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A named list of addresses the detector treats as suspicious callers: Tor exit relays
/// (`KV_TORAccess`) or threat intelligence (`KV_SuspiciousIPAccess`).
///
/// Loading checks every line and fails on the first bad one with `file:line: problem`, so an
/// analyst never runs against a list that is quietly shorter than the file they gave.
public struct ThreatIntelList: Sendable {
    /// Which alert the list feeds.
    public enum Kind: Sendable, Hashable {
        case torExits
        case threatIntel

        /// How messages name a file of this kind.
        var fileDescription: String {
            switch self {
            case .torExits: return "Tor exit list"
            case .threatIntel: return "threat-intel file"
            }
        }
    }

    /// How the file was written, detected from its content.
    public enum Format: Sendable, Hashable {
        /// TorDNSEL `exit-addresses`: `@type tordnsel 1.0`, then `ExitNode`/`Published`/
        /// `LastStatus`/`ExitAddress` blocks.
        case torDNSEL
        /// One address (or, for threat intel, one CIDR block) per line, with `#` comments.
        case addressList
    }

    /// The list's name for display: the file's last path component, or the name given to `parse`.
    public let name: String
    public let kind: Kind
    public let format: Format
    /// The distinct addresses and blocks, ready for lookups.
    public let ranges: IPRangeSet
    /// How many entries the file held, repeats included (a TorDNSEL relay may list an address
    /// that another relay also uses); `ranges.count` counts them once.
    public let entryCount: Int

    public init(name: String, kind: Kind, format: Format, ranges: IPRangeSet, entryCount: Int) {
        self.name = name
        self.kind = kind
        self.format = format
        self.ranges = ranges
        self.entryCount = entryCount
    }

    /// Whether `address` is on the list. No allocation; see `IPRangeSet.contains(_:)`.
    public func contains(_ address: IPAddress) -> Bool { ranges.contains(address) }
}

extension ThreatIntelList {
    /// Loads a Tor exit list: TorDNSEL `exit-addresses` (only the `ExitAddress` addresses are
    /// kept) or a bulk list of bare addresses, one per line, told apart by the first line that is
    /// not blank or a comment. Errors name `path` and the line.
    public static func loadTorExitList(path: String) throws(ThreatIntelError) -> ThreatIntelList {
        try load(path: path, kind: .torExits)
    }

    /// Loads a threat-intel file: one IPv4 or IPv6 address or CIDR block per line, `#` comments
    /// (whole-line or trailing), blank lines. Errors name `path` and the line.
    public static func loadThreatIntel(path: String) throws(ThreatIntelError) -> ThreatIntelList {
        try load(path: path, kind: .threatIntel)
    }

    /// Parses the text of a Tor exit list; `name` stands for the file in the list and in errors.
    public static func parseTorExitList(contents: String, name: String) throws(ThreatIntelError) -> ThreatIntelList {
        try parse(bytes: Array(contents.utf8), name: name, kind: .torExits)
    }

    /// Parses the bytes of a Tor exit list; `name` stands for the file in the list and in errors.
    public static func parseTorExitList(bytes: [UInt8], name: String) throws(ThreatIntelError) -> ThreatIntelList {
        try parse(bytes: bytes, name: name, kind: .torExits)
    }

    /// Parses the text of a threat-intel file; `name` stands for the file in the list and in errors.
    public static func parseThreatIntel(contents: String, name: String) throws(ThreatIntelError) -> ThreatIntelList {
        try parse(bytes: Array(contents.utf8), name: name, kind: .threatIntel)
    }

    /// Parses the bytes of a threat-intel file; `name` stands for the file in the list and in errors.
    public static func parseThreatIntel(bytes: [UInt8], name: String) throws(ThreatIntelError) -> ThreatIntelList {
        try parse(bytes: bytes, name: name, kind: .threatIntel)
    }

    /// Errors name the file as the user wrote it (`path`), so they can find it; the list is named
    /// by its file name, short enough for the dashboard.
    private static func load(path: String, kind: Kind) throws(ThreatIntelError) -> ThreatIntelList {
        let bytes = try readFile(path: path, kind: kind)
        let parsed = try parse(bytes: bytes, errorName: path, kind: kind)
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        return ThreatIntelList(name: fileName, kind: kind, format: parsed.format, ranges: parsed.ranges, entryCount: parsed.entryCount)
    }

    private static func parse(bytes: [UInt8], name: String, kind: Kind) throws(ThreatIntelError) -> ThreatIntelList {
        let parsed = try parse(bytes: bytes, errorName: name, kind: kind)
        return ThreatIntelList(name: name, kind: kind, format: parsed.format, ranges: parsed.ranges, entryCount: parsed.entryCount)
    }

    private static func parse(bytes: [UInt8], errorName: String, kind: Kind) throws(ThreatIntelError) -> (format: Format, ranges: IPRangeSet, entryCount: Int) {
        let parser = ThreatIntelParser(name: errorName, kind: kind)
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(ThreatIntelError) in try parser.parse(buffer) } }
        let (networks, format) = try result.get()
        return (format, IPRangeSet(networks), networks.count)
    }

    /// The whole file; a failure carries the system's own words.
    private static func readFile(path: String, kind: Kind) throws(ThreatIntelError) -> [UInt8] {
        switch WholeFile.contents(of: path) {
        case .success(let bytes): return bytes
        case .failure(let error): throw .unreadableFile(path: path, kind: kind, reason: error.reason)
        }
    }
}
