import VaultWatchCore

/// Writes the JSON columns of the `alert` table (reasons, tactics, techniques, evidence) by
/// hand: Foundation's `JSONEncoder` was most of a save's cost. The output is what
/// `JSONEncoder` would write for the same `Codable` types (`StoredEvidence`, `AttackTechnique`,
/// `[String]`), so `JSONDecoder` reads it back.
///
/// Built as UTF-8 bytes, made a `String` once: appending to a `String` piece by piece (string
/// interpolation for each key, three appends for each value) was 3.6 M of the 8.5 M
/// instructions the demo tenant's end save spent on its 39 alerts' rows (callgrind). The text is
/// the same, byte for byte (`StoredJSONTests`).
enum StoredJSON {
    static func strings(_ values: [String]) -> String {
        var text = Text()
        text.byte(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { text.byte(UInt8(ascii: ",")) }
            text.string(value)
        }
        text.byte(UInt8(ascii: "]"))
        return text.string
    }

    static func techniques(_ values: [AttackTechnique]) -> String {
        var text = Text()
        text.byte(UInt8(ascii: "["))
        for (index, technique) in values.enumerated() {
            if index > 0 { text.byte(UInt8(ascii: ",")) }
            text.raw("{\"identifier\":")
            text.string(technique.identifier)
            text.raw(",\"name\":")
            text.string(technique.name)
            text.byte(UInt8(ascii: "}"))
        }
        text.byte(UInt8(ascii: "]"))
        return text.string
    }

    static func evidence(_ values: [AlertEvidence]) -> String {
        var text = Text()
        text.byte(UInt8(ascii: "["))
        for (index, evidence) in values.enumerated() {
            if index > 0 { text.byte(UInt8(ascii: ",")) }
            text.raw("{\"time\":")
            text.integer(evidence.time.ticks)
            text.field(",\"vault\":", evidence.vault)
            text.field(",\"operation\":", evidence.operation)
            text.raw(",\"outcome\":")
            text.integer(Int64(evidence.outcome.rawValue))
            if let code = evidence.httpStatusCode {
                text.raw(",\"httpStatusCode\":")
                text.integer(Int64(code))
            }
            text.field(",\"callerIP\":", evidence.callerIP?.description)
            text.field(",\"principalID\":", evidence.principalID)
            text.field(",\"upn\":", evidence.upn)
            text.field(",\"appID\":", evidence.appID)
            text.raw(",\"objectKind\":")
            text.integer(Int64(evidence.objectKind.rawValue))
            text.field(",\"objectName\":", evidence.objectName)
            text.field(",\"clientInfo\":", evidence.clientInfo)
            text.field(",\"source\":", evidence.source)
            text.byte(UInt8(ascii: "}"))
        }
        text.byte(UInt8(ascii: "]"))
        return text.string
    }

    /// A checkpoint's `clock` column: the keys in order (as `JSONEncoder` with `.sortedKeys`
    /// writes them), nil members left out. `JSONEncoder` was 0.9 M instructions for the demo
    /// tenant's one checkpoint, most of them its first use in the process.
    static func clock(_ clock: SourceClock) -> String {
        var text = Text()
        var separator: UInt8 = UInt8(ascii: "{")
        func member(_ key: StaticString, _ text: inout Text) {
            text.byte(separator)
            separator = UInt8(ascii: ",")
            text.raw(key)
        }
        if let furthest = clock.furthestAccepted {
            member("\"furthestAccepted\":", &text)
            text.integer(furthest)
        }
        if let last = clock.lastAccepted {
            member("\"lastAccepted\":", &text)
            text.integer(last)
        }
        if let run = clock.lateRun {
            member("\"lateRun\":", &text)
            text.raw("{\"count\":")
            text.integer(Int64(run.count))
            text.raw(",\"firstLine\":")
            text.integer(Int64(run.firstLine))
            text.raw(",\"lastLine\":")
            text.integer(Int64(run.lastLine))
            text.raw(",\"mostBehind\":")
            text.integer(run.mostBehind)
            text.raw(",\"source\":")
            text.string(run.source)
            text.byte(UInt8(ascii: "}"))
        }
        if let shift = clock.stretchShift {
            member("\"stretchShift\":", &text)
            text.integer(shift)
        }
        if separator == UInt8(ascii: "{") { text.byte(separator) }
        text.byte(UInt8(ascii: "}"))
        return text.string
    }

    /// The text being written, as UTF-8.
    private struct Text {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(256) }

        var string: String { String(decoding: bytes, as: UTF8.self) }

        mutating func byte(_ byte: UInt8) { bytes.append(byte) }

        mutating func raw(_ text: StaticString) {
            text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        /// `key` (its comma, quotes and colon included) and `value`; nothing when `value` is nil
        /// (`JSONDecoder` reads a missing key as nil).
        mutating func field(_ key: StaticString, _ value: String?) {
            guard let value else { return }
            raw(key)
            string(value)
        }

        /// `value` as a JSON string literal, quotes included (`JSONString`'s escaping).
        mutating func string(_ value: String) {
            JSONString.append(value, toUTF8: &bytes)
        }

        /// `value` in decimal, as `String(value)` writes it.
        mutating func integer(_ value: Int64) {
            if value >= 0, value < 10 {
                bytes.append(UInt8(ascii: "0") + UInt8(value))
                return
            }
            var magnitude = value.magnitude
            var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes: Int64's 20 digits fit
            var count = 0
            withUnsafeMutableBytes(of: &digits) { buffer in
                repeat {
                    buffer[31 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                    count += 1
                } while magnitude > 0
                if value < 0 { bytes.append(UInt8(ascii: "-")) }
                bytes.append(contentsOf: buffer[(32 - count)...])
            }
        }
    }
}
