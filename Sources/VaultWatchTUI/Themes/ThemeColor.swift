/// A colour as a theme names it: the terminal's default, an RGB value (`#rrggbb`), or an
/// index in the 256-colour palette (0–15 being the ANSI colours, also named `red`, `brightblue`…).
public enum ThemeColor: Sendable, Hashable {
    case terminalDefault
    case rgb(UInt8, UInt8, UInt8)
    case indexed(UInt8)

    /// From theme text: `default`, `#rrggbb`, `0`…`255`, or an ANSI colour name.
    public init?(text: String) {
        let lowered = text.lowercased()
        if lowered == "default" || lowered == "none" {
            self = .terminalDefault
        } else if lowered.hasPrefix("#"), lowered.count == 7, let value = UInt32(lowered.dropFirst(), radix: 16) {
            self = .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
        } else if let index = UInt8(lowered) {
            self = .indexed(index)
        } else if let index = Self.ansiNames.firstIndex(of: lowered) {
            self = .indexed(UInt8(index))
        } else {
            return nil
        }
    }

    static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "brightblack", "brightred", "brightgreen", "brightyellow", "brightblue", "brightmagenta", "brightcyan", "brightwhite",
    ]

    /// The RGB value of `self` (xterm's palette for indexed colours), nil for the default.
    public var rgbValue: (UInt8, UInt8, UInt8)? {
        switch self {
        case .terminalDefault: return nil
        case .rgb(let red, let green, let blue): return (red, green, blue)
        case .indexed(let index): return Self.xtermRGB(Int(index))
        }
    }

    static let ansiRGB: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func xtermRGB(_ index: Int) -> (UInt8, UInt8, UInt8) {
        if index < 16 { return ansiRGB[index] }
        if index >= 232 {
            let level = UInt8(8 + (index - 232) * 10)
            return (level, level, level)
        }
        let cube = index - 16
        let steps: [UInt8] = [0, 95, 135, 175, 215, 255]
        return (steps[cube / 36], steps[cube / 6 % 6], steps[cube % 6])
    }
}
