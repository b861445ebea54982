/// Log text made safe to draw: text from logs is untrusted, so control characters, escape
/// sequences (CSI, OSC, C1), bidi overrides and zero-width characters never reach the terminal.
public enum TerminalSafeText {
    /// `text` with every character that could move the cursor, change colours, set the title
    /// or reorder text replaced: C0/C1 controls and DEL become `�`, format characters vanish.
    public static func sanitize(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x00...0x1F, 0x7F, 0x80...0x9F:
                result.append("\u{FFFD}")
            case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF:
                continue
            default:
                result.append(scalar)
            }
        }
        return String(result)
    }
}
