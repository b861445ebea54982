/// The one line `detect` shows on a terminal during a long read: sources done of total, bytes
/// read of total, events per second, time elapsed and the estimated time left.
///
///     reading 12/340 sources · 1.2 GB of 3.4 GB (35%) · 812,000 events/s · 0:04 elapsed · 0:07 left
///
/// Pure text: drawing it (and erasing it before the summary) is the command line's job. The
/// estimate assumes the rest reads at the rate so far; it is left out when the total is unknown
/// (a stream) or nothing has been read yet.
public struct ReadProgress: Sendable, Hashable {
    public var statistics: Ingestor.Statistics
    /// Events handed to the detector so far.
    public var events: Int
    public var elapsed: Duration

    public init(statistics: Ingestor.Statistics, events: Int, elapsed: Duration) {
        self.statistics = statistics
        self.events = events
        self.elapsed = elapsed
    }

    /// The line, cut to `width` columns so that it never wraps (a wrapped line cannot be
    /// redrawn in place).
    public func line(width: Int) -> String {
        let seconds = Self.seconds(elapsed)
        var parts = ["reading \(statistics.sourcesDone)/\(statistics.sourcesTotal) sources"]
        let read = statistics.bytesRead
        let total = statistics.bytesTotal
        if total > 0 {
            let fraction = min(1, Double(read) / Double(total))
            parts.append("\(Self.bytes(read)) of \(Self.bytes(total)) (\(Int(fraction * 100))%)")
        } else {
            parts.append(Self.bytes(read))
        }
        let rate = seconds > 0 ? Int(Double(events) / seconds) : 0
        parts.append("\(Self.grouped(rate)) events/s")
        parts.append("\(Self.clock(seconds)) elapsed")
        if total > 0, read > 0, read < total, seconds > 0 {
            let left = seconds * Double(total - read) / Double(read)
            parts.append("\(Self.clock(left)) left")
        }
        let text = parts.joined(separator: " · ")
        guard width > 0 else { return text }
        return text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// "512 B", "84.0 kB", "1.2 GB" (decimal units, as `ls -h --si` and disk vendors count).
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(count) B" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    /// "812,000".
    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return result
    }

    /// "0:07", "12:34", "1:02:03".
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(rest))" : "\(minutes):\(twoDigits(rest))"
    }
}
