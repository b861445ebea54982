import Foundation

/// The key names a configuration file's `[keys]` section may use, and their one canonical
/// spelling. Core checks a name's syntax here (so a typo is reported with its line even by
/// `detect`); the dashboard turns the canonical name into its own key value.
///
/// Accepted (names case-insensitive; a single character is taken as written, so `G` is not `g`):
/// a single printable character; `enter` (`return`), `esc` (`escape`), `tab`,
/// `backtab` (`shift-tab`), `up`, `down`, `left`, `right`, `home`, `end`,
/// `pageup` (`pgup`), `pagedown` (`pgdn`), `space`, `backspace`, `f1`–`f12`; and `ctrl-`
/// and a letter, only when written out (no default uses one: terminals and multiplexers own them).
public enum KeyName {
    /// The canonical names of the named (not single-character) keys, as `canonical` returns them.
    public static let namedKeys: [String] = [
        "enter", "esc", "tab", "backtab", "up", "down", "left", "right", "home", "end", "pageup", "pagedown",
        "space", "backspace",
    ] + (1...12).map { "f\($0)" }

    /// Ctrl-letters the terminal never delivers as a key of their own: the same byte as another
    /// key (H Backspace, I Tab, J and M Enter) or taken by the terminal driver (C interrupts,
    /// Z suspends, S and Q are flow control).
    static let unavailableControlLetters: [Character: String] = [
        "c": "Ctrl-C interrupts the program", "z": "Ctrl-Z suspends the program",
        "s": "Ctrl-S is the terminal's flow control (pause output)", "q": "Ctrl-Q is the terminal's flow control (resume output)",
        "h": "Ctrl-H is the same byte as Backspace", "i": "Ctrl-I is the same byte as Tab",
        "j": "Ctrl-J is the same byte as Enter", "m": "Ctrl-M is the same byte as Enter",
    ]

    private static let aliases: [String: String] = [
        "return": "enter", "escape": "esc", "shift-tab": "backtab", "pgup": "pageup", "pgdn": "pagedown",
    ]

    /// The canonical spelling of `text`: the character itself for a single character, else the
    /// lowercase name (`pagedown`, `f5`, `ctrl-x`).
    /// - Throws: `KeyNameError` saying why `text` is not a key.
    public static func canonical(_ text: String) throws(KeyNameError) -> String {
        if text.count == 1, let character = text.first {
            if character == " " { return "space" }
            guard !character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw KeyNameError(reason: "is a control character; write the key's name (enter, tab, esc, ctrl-x…)")
            }
            return text
        }
        let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
        let name = aliases[lowered] ?? lowered
        if namedKeys.contains(name) { return name }
        if name.hasPrefix("ctrl-") || name.hasPrefix("ctrl+") {
            let rest = name.dropFirst(5)
            guard rest.count == 1, let letter = rest.first, letter.isASCII, letter.isLetter else {
                throw KeyNameError(reason: "needs one letter after ctrl- (ctrl-x)")
            }
            if let reason = unavailableControlLetters[letter] { throw KeyNameError(reason: "cannot be used: \(reason); choose another key") }
            return "ctrl-\(letter)"
        }
        if text.isEmpty { throw KeyNameError(reason: "is empty") }
        throw KeyNameError(
            reason: "is not a key (a single character, or one of: \(namedKeys.filter { !$0.hasPrefix("f") || $0 == "f1" }.joined(separator: ", "))–f12, ctrl-LETTER)")
    }
}

/// Why a `[keys]` value is not a key name, worded to follow the name: `"xy" is not a key (…)`.
public struct KeyNameError: Error, Sendable, Hashable {
    public var reason: String

    public init(reason: String) { self.reason = reason }
}
