/// Why a byte sequence is not valid JSON, with the byte offset (from the start of the record
/// text) where the scanner found out.
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        /// The text ended inside a value: a truncated record.
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case controlCharacterInString(UInt8)
        case invalidEscape
        case invalidUnicodeEscape
        case invalidNumber
        case invalidUTF8
        case nestingTooDeep
        case trailingContent
    }

    public var problem: Problem
    public var offset: Int

    public init(_ problem: Problem, at offset: Int) {
        self.problem = problem
        self.offset = offset
    }

    public var isTruncation: Bool { problem == .unexpectedEnd }

    public var description: String {
        switch problem {
        case .unexpectedEnd: return "truncated record: the JSON ends before the value does"
        case .unexpectedByte(let byte): return "invalid JSON: unexpected \(Self.describe(byte)) at byte \(offset + 1)"
        case .controlCharacterInString(let byte):
            return "invalid JSON: raw control character 0x\(String(byte, radix: 16)) inside a string at byte \(offset + 1)"
        case .invalidEscape: return "invalid JSON: bad escape sequence at byte \(offset + 1)"
        case .invalidUnicodeEscape: return "invalid JSON: bad \\u escape (or lone surrogate) at byte \(offset + 1)"
        case .invalidNumber: return "invalid JSON: malformed number at byte \(offset + 1)"
        case .invalidUTF8: return "not UTF-8: invalid byte sequence at byte \(offset + 1)"
        case .nestingTooDeep: return "invalid JSON: nested more than \(JSONScanner.maximumDepth) levels deep at byte \(offset + 1)"
        case .trailingContent: return "invalid JSON: unexpected content after the record at byte \(offset + 1)"
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }
}
