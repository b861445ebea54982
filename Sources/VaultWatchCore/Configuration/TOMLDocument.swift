import TOMLKit

/// Parses TOML text (the configuration file, theme files) through TOMLKit, after refusing the
/// shape known to crash the C++ parser underneath it.
///
/// toml++ 3.x asserts, without checking, that a table header's name starts with a bare-key
/// character or a quote: `[@]`, `[é]`, `[` then a newline abort a build with assertions (which
/// SwiftPM's release builds are, for C++) and are undefined behaviour without them. Found by
/// fuzzing (docs/reliability.md); such a header is reported at its line instead.
public enum TOMLDocument {
    /// A syntax error: its 1-based line when known, and what is wrong.
    public struct SyntaxError: Error, Sendable, Hashable {
        public var line: Int?
        public var message: String
    }

    public static func parse(_ text: String) throws(SyntaxError) -> TOMLTable {
        if let line = firstHeaderWithoutName(in: Array(text.utf8)) {
            throw SyntaxError(
                line: line,
                message: "Error while parsing table header: expected a table name (a letter, digit, '_', '-' or a quote)")
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw SyntaxError(line: error.source.begin.line, message: error.description)
        } catch {
            throw SyntaxError(line: nil, message: "not valid TOML (\(error))")
        }
    }

    /// Where the scanner is: TOML's strings and comments hide brackets.
    private enum Context {
        case normal, comment, basicString, literalString, multiLineBasicString, multiLineLiteralString
    }

    /// The line of the first table header (`[` or `[[` opening a line outside any value, string
    /// or comment) not followed by a name's first character, or `]` (toml++ reports `[]`).
    static func firstHeaderWithoutName(in bytes: [UInt8]) -> Int? {
        var line = 1
        var context = Context.normal
        var valueDepth = 0  // open `[` / `{` of values (arrays may span lines)
        var atLineStart = true
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        func next(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        func isTriple(_ quote: UInt8) -> Bool { next(1) == quote && next(2) == quote }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                atLineStart = true
                if context == .comment || context == .basicString || context == .literalString { context = .normal }
                index += 1
                continue
            }
            switch context {
            case .comment:
                break
            case .basicString, .multiLineBasicString:
                if byte == 0x5C {
                    index += 1  // the escaped byte (a newline there is counted on the next turn)
                    if next(0) == 0x0A { continue }
                } else if byte == 0x22 {
                    if context == .basicString {
                        context = .normal
                    } else if isTriple(0x22) {
                        context = .normal
                        index += 2
                    }
                }
            case .literalString, .multiLineLiteralString:
                if byte == 0x27 {
                    if context == .literalString {
                        context = .normal
                    } else if isTriple(0x27) {
                        context = .normal
                        index += 2
                    }
                }
            case .normal:
                if atLineStart, byte != 0x20, byte != 0x09 {
                    atLineStart = false
                    if byte == 0x5B, valueDepth == 0 {
                        var nameStart = index + 1
                        if nameStart < bytes.count, bytes[nameStart] == 0x5B { nameStart += 1 }
                        while nameStart < bytes.count, bytes[nameStart] == 0x20 || bytes[nameStart] == 0x09 { nameStart += 1 }
                        if nameStart < bytes.count, !startsName(bytes[nameStart]) { return line }
                        index = nameStart  // the header's own brackets are not values
                        continue
                    }
                }
                switch byte {
                case 0x23: context = .comment
                case 0x22:
                    context = isTriple(0x22) ? .multiLineBasicString : .basicString
                    if context == .multiLineBasicString { index += 2 }
                case 0x27:
                    context = isTriple(0x27) ? .multiLineLiteralString : .literalString
                    if context == .multiLineLiteralString { index += 2 }
                case 0x5B, 0x7B: valueDepth += 1
                case 0x5D, 0x7D: valueDepth = max(0, valueDepth - 1)
                default: break
                }
            }
            index += 1
        }
        return nil
    }

    /// What toml++ checks for itself after `[`: a bare key's first character, a quote, or `]`.
    private static func startsName(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x5F, 0x2D, 0x22, 0x27, 0x5D: return true
        default: return false
        }
    }
}
