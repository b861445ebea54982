/// Log text made safe to draw: text from logs is untrusted, so control characters, escape
/// sequences (CSI, OSC, C1), bidi overrides, zero-width and over-wide characters never reach
/// the terminal.
///
/// Escape sequences are not interpreted, only defused: the ESC (or C1 introducer) becomes a
/// visible `�` and the rest of the sequence shows as the plain text it is, so an analyst sees
/// that a field carried an escape instead of having it silently vanish.
public enum TerminalSafeText {
    /// The visible stand-in for a refused character.
    public static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// `text` with every character that could move the cursor, change colours, set the title
    /// or reorder text replaced: C0/C1 controls and DEL become `�`, tabs and line breaks a
    /// space, format characters (zero-width, bidi controls, variation selectors) vanish, and
    /// characters that terminals draw wider than two columns become `�`.
    public static func sanitize(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let safe = displayable(scalar) { result.append(safe) }
        }
        return String(result)
    }

    /// What to draw for `scalar`: itself, a stand-in, or nil to draw nothing.
    public static func displayable(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let value = scalar.value
        if value >= 0x20 && value < 0x7F { return scalar }
        switch value {
        case 0x09, 0x0A, 0x0D:
            return " "
        case 0x00...0x1F, 0x7F, 0x80...0x9F:
            return replacement
        // Zero-width and joiners, bidi embeddings / overrides / isolates, marks, BOM,
        // variation selectors, interlinear annotations, tag characters.
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x206F, 0xFEFF, 0xFE00...0xFE0F,
             0xFFF9...0xFFFB, 0x061C, 0x115F, 0x1160, 0x3164, 0xFFA0, 0x180E, 0xE0000...0xE007F,
             0xE0100...0xE01EF:
            return nil
        // Drawn far wider than any terminal's two columns: the Arabic ligatures of U+FDFD and
        // U+FDFA/FDFB, cuneiform, Egyptian hieroglyph format controls.
        case 0xFDFA...0xFDFB, 0xFDFD, 0x12000...0x1254F, 0x13430...0x1345F, 0xA9C1...0xA9C2:
            return replacement
        // Line and paragraph separators move the cursor on some terminals.
        case 0x2028, 0x2029:
            return " "
        default:
            break
        }
        switch scalar.properties.generalCategory {
        case .format, .control, .surrogate, .unassigned:
            return value >= 0xE0000 ? nil : replacement
        case .lineSeparator, .paragraphSeparator:
            return " "
        default:
            return scalar
        }
    }
}
