/// A byte-level JSON reader over one record's text, for the decoder's hot path.
///
/// It never builds a tree: the decoder walks the keys it wants and `skipValue()`s the rest.
/// It is still a correct reader: strings are checked for control characters and valid escapes
/// (including `\uXXXX` surrogate pairs), numbers follow the JSON grammar, nesting is bounded,
/// and non-ASCII bytes must form valid UTF-8 (only strings may hold them).
/// - Important: the buffer must outlive the scanner; spans are offsets into it.
struct JSONScanner {
    static let maximumDepth = 256

    /// A string value's bytes, between its quotes, as offsets into the buffer.
    struct StringSpan {
        var start: Int
        var end: Int
        var hasEscapes: Bool
        var count: Int { end - start }
    }

    let bytes: UnsafeRawBufferPointer
    var position: Int

    /// Newlines end the text: whitespace does not cross them (framing JSON lines in place).
    let stopsAtNewline: Bool

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0, stopsAtNewline: Bool = false) {
        self.bytes = bytes
        self.position = position
        self.stopsAtNewline = stopsAtNewline
    }

    var isAtEnd: Bool { position >= bytes.count }

    @inline(__always)
    mutating func skipWhitespace() {
        // Records are mostly compact: the next byte is usually not whitespace at all.
        if position < bytes.count, bytes[position] > 0x20 { return }
        skipWhitespaceRun()
    }

    /// Pretty-printed envelopes indent each line: runs of blanks, sixteen bytes at a time. Not
    /// inlined: the block search is long, rarely needed, and inlined into every `peek` it made
    /// each hot caller load its constants and spill registers whatever the next byte was.
    @inline(never)
    private mutating func skipWhitespaceRun() {
        position = Self.firstNonWhitespace(bytes, from: position, newlineIsWhitespace: !stopsAtNewline)
    }

    /// The next non-whitespace byte, without consuming it.
    @inline(__always)
    mutating func peek() throws(JSONSyntaxError) -> UInt8 {
        skipWhitespace()
        guard position < bytes.count else { throw JSONSyntaxError(.unexpectedEnd, at: position) }
        return bytes[position]
    }

    @inline(__always)
    mutating func expect(_ expected: UInt8) throws(JSONSyntaxError) {
        let byte = try peek()
        guard byte == expected else { throw JSONSyntaxError(.unexpectedByte(byte), at: position) }
        position += 1
    }

    /// After `{` or `[` was consumed: whether the container is empty (and then consumes its close).
    @inline(__always)
    mutating func consumeClose(_ close: UInt8) throws(JSONSyntaxError) -> Bool {
        if try peek() == close {
            position += 1
            return true
        }
        return false
    }

    /// After a member or element: `true` if a `,` follows, `false` if the close follows (consumed).
    @inline(__always)
    mutating func continueContainer(close: UInt8) throws(JSONSyntaxError) -> Bool {
        let byte = try peek()
        position += 1
        if byte == 0x2C { return true }
        if byte == close { return false }
        throw JSONSyntaxError(.unexpectedByte(byte), at: position - 1)
    }

    /// Reads a string starting at its opening quote; leaves `position` after the closing quote.
    ///
    /// Sixteen or thirty-two bytes at a time (`firstSpecialStringByte`): a block with no quote,
    /// backslash, control or non-ASCII byte (the common case in long values such as resource
    /// ids, request URIs and user agents) costs a few instructions.
    @inline(__always)
    mutating func scanString() throws(JSONSyntaxError) -> StringSpan {
        try expect(0x22)
        let start = position
        // A plain run up to the closing quote (names, GUIDs, most values) is found here; an
        // escape, a non-ASCII byte or an error is left to `scanStringOn`, out of line so that
        // the callers' common path stays short.
        let index = Self.firstSpecialStringByte(bytes, from: start)
        if index < bytes.count, bytes[index] == 0x22 {
            position = index &+ 1
            return StringSpan(start: start, end: index, hasEscapes: false)
        }
        return try scanStringOn(start: start, from: index)
    }

    /// The rest of `scanString` from `index` (a byte that may be special, or the last bytes of
    /// the buffer), for the string whose first byte is at `start`.
    @inline(never)
    private mutating func scanStringOn(start: Int, from index: Int) throws(JSONSyntaxError) -> StringSpan {
        var hasEscapes = false
        var index = index
        let count = bytes.count
        while true {
            guard index < count else { throw JSONSyntaxError(.unexpectedEnd, at: count) }
            let byte = bytes[index]
            if byte == 0x22 {
                position = index + 1
                return StringSpan(start: start, end: index, hasEscapes: hasEscapes)
            }
            if byte == 0x5C {
                hasEscapes = true
                guard index + 1 < count else { throw JSONSyntaxError(.unexpectedEnd, at: count) }
                switch bytes[index + 1] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
                    index += 2
                case 0x75:
                    guard index + 6 <= count else { throw JSONSyntaxError(.unexpectedEnd, at: count) }
                    for offset in 2..<6 where Self.hexValue(bytes[index + offset]) == nil {
                        throw JSONSyntaxError(.invalidUnicodeEscape, at: index)
                    }
                    index += 6
                default:
                    throw JSONSyntaxError(.invalidEscape, at: index)
                }
            } else if byte >= 0x80 {
                index += try Self.utf8SequenceLength(bytes, at: index)
            } else {
                if byte < 0x20 { throw JSONSyntaxError(.controlCharacterInString(byte), at: index) }
                index += 1
            }
            index = Self.firstSpecialStringByte(bytes, from: index)
        }
    }

    /// Reads a number; returns its span. Leaves `position` after it.
    mutating func scanNumber() throws(JSONSyntaxError) -> Range<Int> {
        skipWhitespace()
        let start = position
        var index = position
        let count = bytes.count
        func digits(_ index: inout Int) -> Int {
            let first = index
            while index < count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return index - first
        }
        if index < count, bytes[index] == 0x2D { index += 1 }
        guard index < count else { throw JSONSyntaxError(.unexpectedEnd, at: index) }
        if bytes[index] == 0x30 {
            index += 1
        } else if digits(&index) == 0 {
            throw JSONSyntaxError(.invalidNumber, at: start)
        }
        if index < count, bytes[index] == 0x2E {
            index += 1
            guard digits(&index) > 0 else {
                throw JSONSyntaxError(index >= count ? .unexpectedEnd : .invalidNumber, at: start)
            }
        }
        if index < count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            index += 1
            if index < count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            guard digits(&index) > 0 else {
                throw JSONSyntaxError(index >= count ? .unexpectedEnd : .invalidNumber, at: start)
            }
        }
        position = index
        return start..<index
    }

    /// Skips one value of any kind, checking its syntax.
    mutating func skipValue(depth: Int = 0) throws(JSONSyntaxError) {
        let byte = try peek()
        switch byte {
        case 0x22:
            _ = try scanString()
        case 0x7B:
            guard depth < Self.maximumDepth else { throw JSONSyntaxError(.nestingTooDeep, at: position) }
            position += 1
            if try consumeClose(0x7D) { return }
            repeat {
                _ = try scanString()
                try expect(0x3A)
                try skipValue(depth: depth + 1)
            } while try continueContainer(close: 0x7D)
        case 0x5B:
            guard depth < Self.maximumDepth else { throw JSONSyntaxError(.nestingTooDeep, at: position) }
            position += 1
            if try consumeClose(0x5D) { return }
            repeat {
                try skipValue(depth: depth + 1)
            } while try continueContainer(close: 0x5D)
        case 0x74: try scanLiteral("true")
        case 0x66: try scanLiteral("false")
        case 0x6E: try scanLiteral("null")
        case 0x2D, 0x30...0x39: _ = try scanNumber()
        default:
            throw JSONSyntaxError(.unexpectedByte(byte), at: position)
        }
    }

    mutating func scanLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let length = literal.utf8CodeUnitCount
        let text = literal.utf8Start
        // The literal whole, in one or two word comparisons; the byte loop below finds where
        // anything else differs.
        if length <= bytes.count &- position, let base = bytes.baseAddress,
            ByteComparison.equal(base + position, UnsafeRawPointer(text), count: length)
        {
            position &+= length
            return
        }
        for offset in 0..<length {
            guard position + offset < bytes.count else { throw JSONSyntaxError(.unexpectedEnd, at: bytes.count) }
            guard bytes[position + offset] == text[offset] else {
                throw JSONSyntaxError(.unexpectedByte(bytes[position + offset]), at: position + offset)
            }
        }
        position += length
    }

    /// Reads a `true` / `false` literal, or nil for anything else (which is skipped).
    mutating func scanBoolean() throws(JSONSyntaxError) -> Bool? {
        switch try peek() {
        case 0x74: try scanLiteral("true"); return true
        case 0x66: try scanLiteral("false"); return false
        default: try skipValue(); return nil
        }
    }

    /// Requires that nothing but whitespace remains.
    mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        if position < bytes.count { throw JSONSyntaxError(.trailingContent, at: position) }
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x61...0x66: UInt32(byte - 0x61 + 10)
        case 0x41...0x46: UInt32(byte - 0x41 + 10)
        default: nil
        }
    }
}

extension JSONScanner {
    /// Appends the unescaped UTF-8 of a string span (already syntax-checked by `scanString`).
    func unescape(_ span: StringSpan, into output: inout [UInt8]) throws(JSONSyntaxError) {
        var index = span.start
        while index < span.end {
            let byte = bytes[index]
            guard byte == 0x5C else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case 0x62: output.append(0x08)
            case 0x66: output.append(0x0C)
            case 0x6E: output.append(0x0A)
            case 0x72: output.append(0x0D)
            case 0x74: output.append(0x09)
            case 0x75:
                var scalar = hex4(at: index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard index + 6 <= span.end, bytes[index] == 0x5C, bytes[index + 1] == 0x75 else {
                        throw JSONSyntaxError(.invalidUnicodeEscape, at: index - 6)
                    }
                    let low = hex4(at: index + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { throw JSONSyntaxError(.invalidUnicodeEscape, at: index) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw JSONSyntaxError(.invalidUnicodeEscape, at: index - 6)
                }
                Self.appendUTF8(scalar, to: &output)
            default: output.append(escape)  // " \ /
            }
        }
    }

    private func hex4(at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 { value = value << 4 | (Self.hexValue(bytes[index + offset]) ?? 0) }
        return value
    }

    static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Parses a JSON number span as an integer, truncating a fraction (`200.0` → 200). Nil if out of range.
    func integerValue(_ span: Range<Int>) -> Int64? {
        var index = span.lowerBound
        var negative = false
        if index < span.upperBound, bytes[index] == 0x2D { negative = true; index += 1 }
        var value: Int64 = 0
        while index < span.upperBound, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = product.addingReportingOverflow(Int64(bytes[index] - 0x30))
            if overflow1 || overflow2 { return nil }
            value = sum
            index += 1
        }
        if index < span.upperBound, bytes[index] == 0x65 || bytes[index] == 0x45 { return nil }
        return negative ? -value : value
    }
}

extension JSONScanner {
    /// The length of the UTF-8 sequence starting with the non-ASCII byte at `index`.
    /// Only strings may hold non-ASCII bytes in JSON, so `scanString` checks them here, and a
    /// record of pure ASCII pays nothing for it.
    /// - Throws: `.invalidUTF8` for a bad lead or continuation byte, an overlong form, a
    ///   surrogate or a value past U+10FFFF.
    static func utf8SequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) throws(JSONSyntaxError) -> Int {
        let lead = bytes[index]
        let length: Int
        var scalar: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; scalar = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; scalar = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; scalar = UInt32(lead & 0x07)
        default: throw JSONSyntaxError(.invalidUTF8, at: index)
        }
        guard index + length <= bytes.count else {
            // Cut in the middle of a character: the text ends early (or is not UTF-8).
            for offset in 1..<(bytes.count - index) where bytes[index + offset] & 0xC0 != 0x80 {
                throw JSONSyntaxError(.invalidUTF8, at: index)
            }
            throw JSONSyntaxError(.unexpectedEnd, at: bytes.count)
        }
        for offset in 1..<length {
            let continuation = bytes[index + offset]
            guard continuation & 0xC0 == 0x80 else { throw JSONSyntaxError(.invalidUTF8, at: index) }
            scalar = scalar << 6 | UInt32(continuation & 0x3F)
        }
        let minimum: UInt32 = length == 3 ? 0x800 : length == 4 ? 0x10000 : 0x80
        guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
            throw JSONSyntaxError(.invalidUTF8, at: index)
        }
        return length
    }
}
