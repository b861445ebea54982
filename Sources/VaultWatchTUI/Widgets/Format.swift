import VaultWatchCore

/// Numbers and times as the dashboard writes them: short, fixed-width where it matters.
public enum Format {
    /// `1234567` → `1,234,567`.
    public static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }

    /// A rate in at most five characters: `12.4`, `845`, `12.3k`, `1.2M`.
    public static func rate(_ value: Double) -> String {
        switch value {
        case ..<0.05: return "0"
        case ..<100: return fixed(value, decimals: 1)
        case ..<10_000: return String(Int(value.rounded()))
        case ..<10_000_000: return fixed(value / 1000, decimals: 1) + "k"
        default: return fixed(value / 1_000_000, decimals: 1) + "M"
        }
    }

    public static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = abs(scaled % Int(scale))
        guard decimals > 0 else { return String(whole) }
        var fractionText = String(fraction)
        while fractionText.count < decimals { fractionText = "0" + fractionText }
        return "\(scaled < 0 && whole == 0 ? "-" : "")\(whole).\(fractionText)"
    }

    /// `0.623` → `62%`.
    public static func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded()))%" }

    /// `2026-03-04 14:22:05Z`.
    public static func clock(_ time: EventTime) -> String {
        let c = time.components
        return "\(c.year)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))Z"
    }

    /// `14:22:05`.
    public static func timeOfDay(_ time: EventTime) -> String {
        let c = time.components
        return "\(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }

    /// `03-04 14:22`.
    public static func shortDateTime(_ time: EventTime) -> String {
        let c = time.components
        return "\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    /// `text` padded with spaces or cut to exactly `width` columns.
    public static func pad(_ text: String, _ width: Int) -> String {
        let columns = TerminalWidth.of(text)
        if columns == width { return text }
        if columns < width { return text + String(repeating: " ", count: width - columns) }
        var result = ""
        var used = 0
        for character in text {
            let characterWidth = TerminalWidth.of(String(character))
            if used + characterWidth > width - 1 { break }
            result.append(character)
            used += characterWidth
        }
        return result + "…" + String(repeating: " ", count: max(0, width - used - 1))
    }

    /// `text` right-aligned in `width` columns.
    public static func padLeft(_ text: String, _ width: Int) -> String {
        let columns = TerminalWidth.of(text)
        return columns >= width ? text : String(repeating: " ", count: width - columns) + text
    }
}
