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
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
