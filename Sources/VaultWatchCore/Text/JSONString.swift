/// JSON string literals for the places that write JSON as text by hand (the demo tenant's
/// records, the store's JSON columns, the dashboard's evidence view, test records).
///
/// Escapes what JSON requires (`"`, `\` and C0 controls) and also DEL and the C1 controls,
/// so a literal is safe to show on a terminal as well as valid JSON. (Alert output, written as
/// bytes on the hot path, has its own writer: `JSONWriter`.)
public enum JSONString {
    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var literal = ""
        append(text, to: &literal)
        return literal
    }

    /// Appends `text` as a JSON string literal, quotes included.
    public static func append(_ text: String, to output: inout String) {
        // Most text (ids, names, operations, addresses) is printable ASCII without a quote or a
        // backslash: appended whole. Walking it scalar by scalar was most of a state save's
        // cost (the alerts' evidence columns).
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
            output += "\""
            output += text
            output += "\""
            return
        }
        // The rest escaped once, by the byte writer below (one rule for both forms).
        var literal: [UInt8] = []
        append(text, toUTF8: &literal)
        output += String(decoding: literal, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal, quotes included, to UTF-8 `output` (the store's
    /// JSON columns, written as bytes; `append(_:to:)` escapes through it too).
    public static func append(_ text: String, toUTF8 output: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            output.append(UInt8(ascii: "\""))
            // Most text (ids, names, operations, addresses) is printable ASCII without a
            // quote or a backslash: copied whole.
            if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
                output.append(contentsOf: utf8)
            } else {
                escaping(utf8, to: &output)
            }
            output.append(UInt8(ascii: "\""))
        }
    }

    /// Valid UTF-8 (a `String`'s), escaped byte by byte: a C1 control is the two bytes
    /// 0xC2 0x80 to 0xC2 0x9F, and no other character's encoding holds a byte below 0x80.
    private static func escaping(_ utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        func raw(_ text: StaticString) { text.withUTF8Buffer { output.append(contentsOf: $0) } }
        func control(_ value: UInt8) {
            let digits: StaticString = "0123456789abcdef"
            raw("\\u00")
            digits.withUTF8Buffer { hex in
                output.append(hex[Int(value >> 4)])
                output.append(hex[Int(value & 0x0F)])
            }
        }
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case UInt8(ascii: "\n"): raw("\\n")
            case UInt8(ascii: "\r"): raw("\\r")
            case UInt8(ascii: "\t"): raw("\\t")
            case 0..<0x20, 0x7F: control(byte)
            case 0xC2 where index + 1 < utf8.count && (0x80...0x9F).contains(utf8[index + 1]):
                index += 1
                control(utf8[index])
            default: output.append(byte)
            }
            index += 1
        }
    }
}
