/// Reads a directory of names: the JSON an admin gets from `az ad sp list --all` or
/// `az ad user list` (arrays of objects with `id` — `objectId` in older CLIs —, `appId`,
/// `displayName`, `userPrincipalName`), Microsoft Graph's `servicePrincipals` / `users`
/// responses (`{"value": [ … ]}`, pages concatenated or one per line), or a plain CSV of
/// `id,displayName` lines (an optional header, `#` comments, quoted names).
///
/// The format is told by the first byte that is not whitespace: `[` or `{` is JSON, anything
/// else CSV. An object id and a service principal's app id both map to its display name.
/// Every error names the file and line: a value that is not valid JSON, an entry without an id
/// or a name, an id that is not a GUID, a CSV line that is not `id,displayName`.
public enum DirectoryFile {
    /// Loads `path` over `base` (the built-in first-party table by default).
    public static func load(path: String, over base: DirectoryNames = .builtIn) throws(DirectoryError) -> DirectoryNames {
        switch WholeFile.contents(of: path) {
        case .success(let bytes): return try parse(bytes, file: path, over: base)
        case .failure(let error): throw .unreadableFile(path: path, reason: error.reason)
        }
    }

    /// Parses a directory file's bytes; `file` names it in errors.
    public static func parse(_ bytes: [UInt8], file: String, over base: DirectoryNames = .builtIn) throws(DirectoryError) -> DirectoryNames {
        var names = base
        let result = bytes.withUnsafeBytes { buffer -> Result<Void, DirectoryError> in
            var parser = Parser(bytes: buffer, file: file)
            do throws(DirectoryError) {
                try parser.parse(into: &names)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
        return names
    }

    /// The text in quotes, escaped and shortened, so a hostile line cannot flood the message.
    fileprivate static func quoted(_ text: String) -> String {
        let shown = text.count > 64 ? String(text.prefix(64)) + "…" : text
        return shown.debugDescription
    }

    /// Whether `text` is a GUID (`8-4-4-4-12` hex digits), the form of every object and app id.
    public static func isGUID(_ text: some StringProtocol) -> Bool {
        let utf8 = Array(text.utf8)
        guard utf8.count == 36 else { return false }
        for (index, byte) in utf8.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard JSONScanner.hexValue(byte) != nil else { return false }
            }
        }
        return true
    }

    fileprivate struct Parser {
        let bytes: UnsafeRawBufferPointer
        let file: String

        mutating func parse(into names: inout DirectoryNames) throws(DirectoryError) {
            var start = 0
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
            var first = start
            while first < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[first]) { first += 1 }
            guard first < bytes.count else { return }
            if bytes[first] == UInt8(ascii: "[") || bytes[first] == UInt8(ascii: "{") {
                try parseJSON(from: first, into: &names)
            } else {
                try parseCSV(from: start, into: &names)
            }
        }

        // MARK: JSON

        /// Values one after another (whitespace between): arrays of entries, `{"value": […]}`
        /// pages, or single entry objects.
        func parseJSON(from start: Int, into names: inout DirectoryNames) throws(DirectoryError) {
            var json = JSONReader(scanner: JSONScanner(bytes, position: start), parser: self)
            while true {
                json.scanner.skipWhitespace()
                if json.scanner.isAtEnd { return }
                let valueStart = json.scanner.position
                switch try json.scan({ scanner throws(JSONSyntaxError) in try scanner.peek() }) {
                case UInt8(ascii: "["): try json.entries(into: &names)
                case UInt8(ascii: "{"): try json.object(at: valueStart, into: &names, topLevel: true)
                default: throw invalid(at: valueStart, "expected a JSON array or object of directory entries")
                }
            }
        }

        func invalid(at offset: Int, _ problem: String) -> DirectoryError {
            .invalidLine(file: file, line: line(at: offset), problem: problem)
        }

        /// The line (from 1) holding byte `offset`.
        func line(at offset: Int) -> Int {
            var line = 1
            for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A { line += 1 }
            return line
        }

        // MARK: CSV

        /// `id,displayName` per line; blank lines and `#` comments skipped; a first line that
        /// reads `id,displayName` (any case) is a header.
        func parseCSV(from start: Int, into names: inout DirectoryNames) throws(DirectoryError) {
            var lineStart = start
            var lineNumber = 0
            var sawEntry = false
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                lineNumber += 1
                var end = lineEnd
                if end > lineStart, bytes[end - 1] == 0x0D { end -= 1 }
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[lineStart..<end]), as: UTF8.self)
                lineStart = lineEnd + 1
                let trimmed = text.trimmingWhitespace()
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                let fail = { (problem: String) -> DirectoryError in .invalidLine(file: file, line: lineNumber, problem: problem) }
                guard let (id, name) = Self.csvFields(trimmed) else {
                    throw fail("expected id,displayName (quote a name that holds a comma or a quote)")
                }
                if !sawEntry, id.lowercased() == "id", name.lowercased() == "displayname" {
                    sawEntry = true
                    continue
                }
                sawEntry = true
                guard DirectoryFile.isGUID(id) else {
                    throw fail("\(DirectoryFile.quoted(id)) is not an object id or application id (a GUID)")
                }
                guard !name.isEmpty else { throw fail("no display name for \(id)") }
                names.set(name, for: id)
            }
        }

        /// The two fields of a CSV line (RFC 4180 quoting), or nil when it has another shape.
        static func csvFields(_ line: String) -> (String, String)? {
            var fields: [String] = []
            var index = line.startIndex
            while true {
                var field = ""
                while index < line.endIndex, line[index] == " " { index = line.index(after: index) }
                if index < line.endIndex, line[index] == "\"" {
                    index = line.index(after: index)
                    var closed = false
                    while index < line.endIndex {
                        let character = line[index]
                        index = line.index(after: index)
                        if character == "\"" {
                            if index < line.endIndex, line[index] == "\"" {
                                field.append("\"")
                                index = line.index(after: index)
                            } else {
                                closed = true
                                break
                            }
                        } else {
                            field.append(character)
                        }
                    }
                    guard closed else { return nil }
                    while index < line.endIndex, line[index] == " " { index = line.index(after: index) }
                } else {
                    while index < line.endIndex, line[index] != "," {
                        guard line[index] != "\"" else { return nil }
                        field.append(line[index])
                        index = line.index(after: index)
                    }
                    field = field.trimmingWhitespace()
                }
                fields.append(field)
                if index == line.endIndex { break }
                guard line[index] == "," else { return nil }
                index = line.index(after: index)
            }
            guard fields.count == 2 else { return nil }
            return (fields[0], fields[1])
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}

/// Walks the JSON of a directory file with the record decoder's scanner (one JSON reader in
/// the project), turning its syntax errors and bad entries into `file:line` errors.
private struct JSONReader {
    var scanner: JSONScanner
    let parser: DirectoryFile.Parser

    /// Runs one scanner step; a syntax error becomes the file's `file:line: problem`.
    mutating func scan<T>(_ step: (inout JSONScanner) throws(JSONSyntaxError) -> T) throws(DirectoryError) -> T {
        do {
            return try step(&scanner)
        } catch {
            throw parser.invalid(at: error.offset, error.description)
        }
    }

    /// An array whose elements are entry objects.
    mutating func entries(into names: inout DirectoryNames) throws(DirectoryError) {
        try scan { scanner throws(JSONSyntaxError) in try scanner.expect(UInt8(ascii: "[")) }
        if try scan({ scanner throws(JSONSyntaxError) in try scanner.consumeClose(UInt8(ascii: "]")) }) { return }
        repeat {
            let elementStart = scanner.position
            guard try scan({ scanner throws(JSONSyntaxError) in try scanner.peek() }) == UInt8(ascii: "{") else {
                throw parser.invalid(at: elementStart, "a directory entry must be a JSON object")
            }
            try object(at: scanner.position, into: &names, topLevel: false)
        } while try scan({ scanner throws(JSONSyntaxError) in try scanner.continueContainer(close: UInt8(ascii: "]")) })
    }

    /// An entry (`id`/`objectId`, `appId`, `displayName`, `userPrincipalName`; every other
    /// member skipped) or, at the top level, a Graph page whose `value` holds the entries.
    mutating func object(at start: Int, into names: inout DirectoryNames, topLevel: Bool) throws(DirectoryError) {
        try scan { scanner throws(JSONSyntaxError) in try scanner.expect(UInt8(ascii: "{")) }
        var id: String?
        var appID: String?
        var displayName: String?
        var userPrincipalName: String?
        var sawValueArray = false
        if try !scan({ scanner throws(JSONSyntaxError) in try scanner.consumeClose(UInt8(ascii: "}")) }) {
            repeat {
                let key = try string()
                try scan { scanner throws(JSONSyntaxError) in try scanner.expect(UInt8(ascii: ":")) }
                let valueStart = scanner.position
                let next = try scan { scanner throws(JSONSyntaxError) in try scanner.peek() }
                switch key {
                case "value" where topLevel && next == UInt8(ascii: "["):
                    try entries(into: &names)
                    sawValueArray = true
                case "id", "objectId": id = try optionalString(key: key, at: valueStart) ?? id
                case "appId": appID = try optionalString(key: key, at: valueStart)
                case "displayName": displayName = try optionalString(key: key, at: valueStart)
                case "userPrincipalName": userPrincipalName = try optionalString(key: key, at: valueStart)
                default: try scan { scanner throws(JSONSyntaxError) in try scanner.skipValue() }
                }
            } while try scan({ scanner throws(JSONSyntaxError) in try scanner.continueContainer(close: UInt8(ascii: "}")) })
        }
        if sawValueArray { return }  // a Graph page: its entries were in `value`
        guard id != nil || appID != nil else { throw parser.invalid(at: start, "entry has no id, objectId or appId") }
        guard let name = Self.nonBlank(displayName) ?? Self.nonBlank(userPrincipalName) else {
            throw parser.invalid(at: start, "entry \(id ?? appID ?? "") has no displayName")
        }
        for candidate in [id, appID].compactMap({ $0 }) {
            guard DirectoryFile.isGUID(candidate) else {
                throw parser.invalid(at: start, "\(DirectoryFile.quoted(candidate)) is not an object id or application id (a GUID)")
            }
            names.set(name, for: candidate)
        }
    }

    mutating func string() throws(DirectoryError) -> String {
        try scan { scanner throws(JSONSyntaxError) in
            let span = try scanner.scanString()
            var output: [UInt8] = []
            output.reserveCapacity(span.count)
            try scanner.unescape(span, into: &output)
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// A string member, or nil for `null`; anything else is an error naming the key.
    mutating func optionalString(key: String, at offset: Int) throws(DirectoryError) -> String? {
        switch try scan({ scanner throws(JSONSyntaxError) in try scanner.peek() }) {
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "n"):
            try scan { scanner throws(JSONSyntaxError) in try scanner.scanLiteral("null") }
            return nil
        default: throw parser.invalid(at: offset, "\(key) must be a string")
        }
    }

    static func nonBlank(_ text: String?) -> String? {
        guard let text, !text.trimmingWhitespace().isEmpty else { return nil }
        return text
    }
}
