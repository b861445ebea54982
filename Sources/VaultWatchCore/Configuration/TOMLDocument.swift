import TOMLKit

/// Parses TOML text (the configuration file, theme files) through TOMLKit, after refusing the
/// one shape known to crash the C++ parser underneath it.
///
/// toml++ 3.x asserts that a table header's name starts with a bare-key character or a quote,
/// but never checks it for non-ASCII characters: `[é]` aborts a build with assertions and is
/// undefined behaviour without them. Found by fuzzing (docs/reliability.md); such a header is
/// reported at its line, as toml++ reports `é = 1`.
public enum TOMLDocument {
    /// A syntax error: its 1-based line when known, and what is wrong.
    public struct SyntaxError: Error, Sendable, Hashable {
        public var line: Int?
        public var message: String
    }

    public static func parse(_ text: String) throws(SyntaxError) -> TOMLTable {
        if let line = firstNonASCIITableName(in: text) {
            throw SyntaxError(
                line: line,
                message: "Error while parsing table header: a table name starts with a letter, digit, '_', '-' or a quote")
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw SyntaxError(line: error.source.begin.line, message: error.description)
        } catch {
            throw SyntaxError(line: nil, message: "not valid TOML (\(error))")
        }
    }

    /// The delimiters of multi-line strings, inside which a line starting with `[` is text.
    private static let multiLineDelimiters: [[UInt8]] = [Array("\"\"\"".utf8), Array("'''".utf8)]

    /// The line of the first table header (`[name]` or `[[name]]` opening a line, outside
    /// multi-line strings) whose name starts with a byte outside ASCII.
    static func firstNonASCIITableName(in text: String) -> Int? {
        var line = 1
        var openDelimiter: [UInt8]? = nil
        for bytes in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            defer { line += 1 }
            let lineBytes = Array(bytes)
            if openDelimiter == nil, let nameStart = tableNameStart(lineBytes), nameStart >= 0x80 { return line }
            // A line that opens or closes a multi-line string holds an odd number of its delimiters.
            for delimiter in multiLineDelimiters where openDelimiter == nil || openDelimiter == delimiter {
                if occurrences(of: delimiter, in: lineBytes) % 2 == 1 {
                    openDelimiter = openDelimiter == nil ? delimiter : nil
                    break
                }
            }
        }
        return nil
    }

    /// The first byte of a table name when the line is a table header, else nil.
    private static func tableNameStart(_ line: [UInt8]) -> UInt8? {
        var index = line.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0  // a byte-order mark
        func skipBlanks() { while index < line.count, line[index] == 0x20 || line[index] == 0x09 { index += 1 } }
        skipBlanks()
        guard index < line.count, line[index] == 0x5B else { return nil }
        index += 1
        if index < line.count, line[index] == 0x5B { index += 1 }
        skipBlanks()
        return index < line.count ? line[index] : nil
    }

    private static func occurrences(of delimiter: [UInt8], in line: [UInt8]) -> Int {
        var count = 0
        var index = 0
        while index + delimiter.count <= line.count {
            if line[index..<(index + delimiter.count)].elementsEqual(delimiter) {
                count += 1
                index += delimiter.count
            } else {
                index += 1
            }
        }
        return count
    }
}
