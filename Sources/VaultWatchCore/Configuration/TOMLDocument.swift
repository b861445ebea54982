import TOMLKit

/// Parses TOML text (the configuration file, theme files) through TOMLKit, after refusing the
/// shapes known to crash the C++ parser underneath it.
///
/// toml++ 3.x asserts, without checking, things its callers were meant to have checked, and
/// SwiftPM builds a package's C++ with assertions on (without them they would be undefined
/// behaviour). Fuzzing (docs/reliability.md) found two families: a table header whose name does
/// not start with a bare-key character or a quote (`[@]`, `[é]`, `[` then a newline), and a
/// value that starts like a number or a date but is neither (`2029-12-31t:00`, `2029-12-31 0`).
/// Both are reported at their line instead: headers are checked as toml++ would, and every value
/// starting with a digit or a sign must be a TOML 1.0 integer, float, date, time or date-time.
public enum TOMLDocument {
    /// A syntax error: its 1-based line when known, and what is wrong.
    public struct SyntaxError: Error, Sendable, Hashable {
        public var line: Int?
        public var message: String
    }

    public static func parse(_ text: String) throws(SyntaxError) -> TOMLTable {
        if let problem = firstCrashingShape(in: Array(text.utf8)) {
            throw SyntaxError(line: problem.line, message: problem.message)
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

    static let headerMessage = "Error while parsing table header: expected a table name (a letter, digit, '_', '-' or a quote)"

    /// The first shape toml++ would assert on: a table header (`[` or `[[` opening a line
    /// outside any value, string or comment) not followed by a name's first character or `]`
    /// (toml++ reports `[]` itself), or a value starting with a digit or a sign that is not a
    /// TOML number, date or time.
    static func firstCrashingShape(in bytes: [UInt8]) -> (line: Int, message: String)? {
        var line = 1
        var context = Context.normal
        // Open `[` (arrays: values) and `{` (inline tables: keys, then a value after `=`).
        var containers: [UInt8] = []
        var expectsValue = false
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
                if atLineStart, byte != 0x20, byte != 0x09, byte != 0x0D {
                    atLineStart = false
                    if containers.isEmpty {
                        expectsValue = false  // a new key, or a header
                        if byte == 0x5B {
                            var nameStart = index + 1
                            if nameStart < bytes.count, bytes[nameStart] == 0x5B { nameStart += 1 }
                            while nameStart < bytes.count, bytes[nameStart] == 0x20 || bytes[nameStart] == 0x09 { nameStart += 1 }
                            if nameStart < bytes.count, !startsName(bytes[nameStart]) { return (line, headerMessage) }
                            index = nameStart  // the header's own brackets are not values
                            continue
                        }
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
                case 0x3D: expectsValue = true
                case 0x5B:
                    if expectsValue || containers.last == 0x5B { containers.append(byte) }
                case 0x7B:
                    containers.append(byte)
                    expectsValue = false
                case 0x5D, 0x7D:
                    if !containers.isEmpty { containers.removeLast() }
                    expectsValue = containers.last == 0x5B
                case 0x2C:
                    expectsValue = containers.last == 0x5B
                case 0x30...0x39, 0x2B, 0x2D:
                    guard expectsValue || containers.last == 0x5B else { break }
                    let end = valueEnd(bytes, from: index)
                    let token = Array(bytes[index..<end])
                    if !isNumberOrDateTime(token) {
                        let text = String(decoding: token.prefix(40), as: UTF8.self)
                        return (line, "Error while parsing value: '\(text)' is not a number, date or time")
                    }
                    index = end
                    expectsValue = false
                    continue
                default:
                    // A bare word where a value goes (`true`, `inf`) is that value; toml++ checks it.
                    if byte >= 0x41 { expectsValue = false }
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

    /// Where a value starting at `start` ends: at a blank, `,`, `]`, `}`, `#` or a line end,
    /// except that a date followed by one space and a digit is a date-time (`2026-12-31 18:00:00`).
    private static func valueEnd(_ bytes: [UInt8], from start: Int) -> Int {
        func runEnd(_ from: Int) -> Int {
            var index = from
            while index < bytes.count, ![0x20, 0x09, 0x0D, 0x0A, 0x2C, 0x5D, 0x7D, 0x23].contains(bytes[index]) { index += 1 }
            return index
        }
        let end = runEnd(start)
        if end - start == 10, bytes[start + 4] == 0x2D, end + 1 < bytes.count, bytes[end] == 0x20, isDigit(bytes[end + 1]) {
            return runEnd(end + 1)
        }
        return end
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// TOML 1.0's integers (decimal, 0x, 0o, 0b, with `_` between digits), floats (with a fraction
    /// or an exponent, `inf`, `nan`), local dates and times, and date-times with an optional offset.
    static func isNumberOrDateTime(_ token: [UInt8]) -> Bool {
        var index = 0
        func peek() -> UInt8? { index < token.count ? token[index] : nil }
        /// One or more digits of `isDigit`, a single `_` allowed between two digits.
        func digits(_ accepts: (UInt8) -> Bool) -> Bool {
            guard let first = peek(), accepts(first) else { return false }
            index += 1
            while let byte = peek() {
                if accepts(byte) {
                    index += 1
                } else if byte == 0x5F, index + 1 < token.count, accepts(token[index + 1]) {
                    index += 2
                } else {
                    break
                }
            }
            return true
        }
        func exactly(_ count: Int) -> Bool {
            guard index + count <= token.count, token[index..<(index + count)].allSatisfy(isDigit) else { return false }
            index += count
            return true
        }
        func take(_ byte: UInt8) -> Bool {
            guard peek() == byte else { return false }
            index += 1
            return true
        }
        func time() -> Bool {
            guard exactly(2), take(0x3A), exactly(2), take(0x3A), exactly(2) else { return false }
            if take(0x2E) {
                guard exactly(1) else { return false }
                while let byte = peek(), isDigit(byte) { index += 1 }
            }
            return true
        }
        // Dates and times.
        if token.count >= 10, token[4] == 0x2D, token.prefix(4).allSatisfy(isDigit) {
            guard exactly(4), take(0x2D), exactly(2), take(0x2D), exactly(2) else { return false }
            if index == token.count { return true }
            guard let separator = peek(), separator == 0x54 || separator == 0x74 || separator == 0x20 else { return false }
            index += 1
            guard time() else { return false }
            if index == token.count || take(0x5A) || take(0x7A) { return index == token.count }
            guard let sign = peek(), sign == 0x2B || sign == 0x2D else { return false }
            index += 1
            return exactly(2) && take(0x3A) && exactly(2) && index == token.count
        }
        if token.count >= 3, token[2] == 0x3A {
            return time() && index == token.count
        }
        // Numbers.
        if token.count > 2, token[0] == 0x30, [0x78, 0x6F, 0x62].contains(token[1]) {
            let base = token[1]
            index = 2
            let accepts: (UInt8) -> Bool
            switch base {
            case 0x78: accepts = { isDigit($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }
            case 0x6F: accepts = { (0x30...0x37).contains($0) }
            default: accepts = { $0 == 0x30 || $0 == 0x31 }
            }
            return digits(accepts) && index == token.count
        }
        if take(0x2B) || take(0x2D) {}
        let rest = Array(token[index...])
        if rest == Array("inf".utf8) || rest == Array("nan".utf8) { return true }
        guard let first = peek(), isDigit(first) else { return false }
        if first == 0x30 {
            index += 1
            if let byte = peek(), isDigit(byte) || byte == 0x5F { return false }  // no leading zeros
        } else {
            _ = digits(isDigit)
        }
        if take(0x2E) {
            guard digits(isDigit) else { return false }
        }
        if take(0x65) || take(0x45) {
            _ = take(0x2B) || take(0x2D)
            guard digits(isDigit) else { return false }
        }
        return index == token.count
    }
}
