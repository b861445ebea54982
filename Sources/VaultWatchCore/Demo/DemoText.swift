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

}
