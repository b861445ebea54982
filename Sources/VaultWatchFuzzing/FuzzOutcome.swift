/// What one fuzz input did to a parser.
public struct FuzzOutcome: Sendable, Hashable {
    /// What the parser told the user about the input (problems, errors), as it would print them.
    public var messages: [String] = []
    /// Properties that must hold for every input and did not: each one is a bug.
    public var violations: [String] = []

    public init(messages: [String] = [], violations: [String] = []) {
        self.messages = messages
        self.violations = violations
    }

    /// Records a violation unless `condition` holds.
    mutating func require(_ condition: Bool, _ violation: @autoclosure () -> String) {
        if !condition { violations.append(violation()) }
    }

    /// Checks that an error message reads `name: …` or `name:LINE: …`, with a line inside the
    /// input (lines count from 1; the line after the last newline is still a line).
    mutating func requireLocated(_ message: String, name: String, line: Int?, lineCount: Int) {
        messages.append(message)
        require(message.hasPrefix(name + ":"), "message does not start with the file name: \(message)")
        if let line {
            require((1...lineCount).contains(line), "line \(line) outside 1...\(lineCount): \(message)")
        }
    }

    /// How many lines a text of these bytes has, for `requireLocated` (TOML parsers count a
    /// lone `\r` too, so both are counted: an upper bound).
    static func lineCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        var count = 1
        for byte in bytes where byte == 0x0A || byte == 0x0D { count += 1 }
        return count
    }
}
