import VaultWatchTUI

/// A theme file as `--theme PATH` reads it, then every style's colours as each terminal colour
/// depth would draw them (the fallback from truecolor to 256, 16 and 8 colours is arithmetic on
/// whatever the file said).
enum ThemeHarness {
    static let fileName = "fuzz-theme.toml"
    /// Each depth and the colour numbers a terminal of that depth accepts (-1: its default).
    static let depths: [(ColorDepth, ClosedRange<Int>)] = [
        (.none, -1...(-1)), (.colors8, -1...7), (.colors16, -1...15), (.colors256, -1...255), (.trueColor, -1...0xFF_FFFF),
    ]

    static func run(_ input: UnsafeRawBufferPointer) -> FuzzOutcome {
        let text = String(decoding: input, as: UTF8.self)
        var outcome = FuzzOutcome()
        do throws(ThemeError) {
            let theme = try ThemeParser.parse(text, path: fileName)
            for role in StyleRole.allCases {
                let style = theme.style(for: role)
                for (depth, accepted) in depths {
                    for color in [style.foreground, style.background] {
                        let number = depth.colorNumber(for: color)
                        outcome.require(accepted.contains(number), "colour \(color) at \(depth) is \(number), not in \(accepted)")
                    }
                }
            }
        } catch {
            outcome.requireLocated(error.description, name: fileName, line: error.line, lineCount: FuzzOutcome.lineCount(input))
        }
        return outcome
    }
}
