/// A horizontal progress bar: `████████▌···` (eighth blocks) or `#####.....` in ASCII.
public enum ProgressBar {
    public static func encode(fraction: Double, width: Int, glyphs: ChartGlyphs) -> String {
        guard width > 0 else { return "" }
        let clamped = min(max(fraction, 0), 1)
        if glyphs == .ascii {
            let full = Int((clamped * Double(width)).rounded(.down))
            return String(repeating: "#", count: full) + String(repeating: ".", count: width - full)
        }
        let eighths = Int((clamped * Double(width * 8)).rounded(.down))
        let partials: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var text = String(repeating: "█", count: eighths / 8)
        if eighths % 8 > 0 && text.count < width { text.append(partials[eighths % 8 - 1]) }
        return text + String(repeating: "·", count: width - text.count)
    }
}
