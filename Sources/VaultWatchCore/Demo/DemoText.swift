/// Locale-independent text helpers for the demo's records: zero padding, the service's
/// seven-digit timestamps and JSON string escaping.
enum DemoText {
    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// `2026-02-17T10:20:31.4812907Z`: always seven fractional digits, as the service writes them.
    static func timestamp(_ time: EventTime) -> String {
        let parts = time.components
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T\(pad(parts.hour, 2)):"
            + "\(pad(parts.minute, 2)):\(pad(parts.second, 2)).\(pad(Int(parts.fractionTicks), 7))Z"
    }

    /// `2026-02-17T10:00:00Z`: whole seconds, for the expected-alert windows.
    static func wholeSecondTimestamp(_ time: EventTime) -> String {
        let parts = time.components
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T\(pad(parts.hour, 2)):"
            + "\(pad(parts.minute, 2)):\(pad(parts.second, 2))Z"
    }

    /// A JSON string literal, quotes included.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    result += "\\u00" + DemoGUID.hex(UInt64(scalar.value), digits: 2)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
