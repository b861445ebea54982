/// Why a Tor exit list or threat-intel file could not be loaded, as one line a user can act on:
/// `intel.txt:4: prefix length 33 is too long for IPv4`, or
/// `cannot read threat-intel file /x/y: No such file or directory`.
///
/// A list is all or nothing: a bad entry stops the load rather than being skipped, because a
/// silently shortened threat list would miss the very addresses it was given to catch.
public enum ThreatIntelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file could not be opened or read; `reason` is the system's (`strerror`) wording.
    case unreadableFile(path: String, kind: ThreatIntelList.Kind, reason: String)
    /// Line `line` (from 1) of `file` holds something that is not a valid entry.
    case invalidLine(file: String, line: Int, problem: Problem)

    /// What is wrong with one line.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// The text where an address belongs is not an IPv4 or IPv6 address.
        case notAnAddress(String)
        /// What follows the `/` is not a decimal number.
        case prefixLengthNotANumber(String)
        /// The prefix length exceeds the family's bits (32 or 128); the text as written.
        case prefixLengthTooLong(String, isIPv4: Bool)
        /// A Tor exit list names single relays; a block there is a mistake (wrong file?).
        case rangeInTorExitList(String)
        /// More on the line than one address or block (the first extra word).
        case unexpectedText(String, after: String)
        /// An `ExitAddress` line without its address.
        case missingExitAddress
        /// In a TorDNSEL list, a line that is neither a keyword line nor a comment.
        case notATorDNSELLine(String)
        /// An `@type` header naming a format other than TorDNSEL.
        case unsupportedFormat(String)

        public var description: String {
            switch self {
            case .notAnAddress(let text):
                return "\(quoted(text)) is not an IPv4 or IPv6 address"
            case .prefixLengthNotANumber(let text):
                return "prefix length \(quoted(text)) is not a number"
            case .prefixLengthTooLong(let text, let isIPv4):
                return "prefix length \(text) is too long for \(isIPv4 ? "IPv4" : "IPv6")"
            case .rangeInTorExitList(let text):
                return "\(quoted(text)) is a range; a Tor exit list holds single addresses"
            case .unexpectedText(let text, let after):
                return "unexpected \(quoted(text)) after \(quoted(after)); write one address or range per line"
            case .missingExitAddress:
                return "ExitAddress line has no address"
            case .notATorDNSELLine(let text):
                return "unexpected \(quoted(text)) in a TorDNSEL list; addresses belong on ExitAddress lines"
            case .unsupportedFormat(let text):
                return "\(quoted(text)) is not a format VaultWatch reads (expected \"@type tordnsel 1.0\" or one address per line)"
            }
        }

        /// The text in quotes, escaped and shortened, so a hostile or binary line cannot drive the
        /// terminal or flood the message.
        private func quoted(_ text: String) -> String {
            let limit = 64
            let shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
            return shown.debugDescription
        }
    }

    public var description: String {
        switch self {
        case .unreadableFile(let path, let kind, let reason):
            return "cannot read \(kind.fileDescription) \(path): \(reason)"
        case .invalidLine(let file, let line, let problem):
            return "\(file):\(line): \(problem)"
        }
    }
}
