import CNCurses
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ncurses adapter: the only code that calls ncurses.
///
/// It draws a `ScreenBuffer` by writing only the cells that changed since the last frame
/// (wide characters through the `CNCurses` shim), maps style roles to colour pairs and
/// attributes for the terminal's colour depth, and decodes keys. Keys are read from
/// `/dev/tty`, so the dashboard works while stdin carries records (`watch -`).
/// - Important: not thread-safe. One thread creates it, uses it and closes it (the run
///   loop's dedicated thread); crash signals restore the terminal through the shim.
final class NCursesTerminal {
    private let screen: OpaquePointer
    private let ttyFile: UnsafeMutablePointer<FILE>
    private var previous: ScreenBuffer?
    private var roleAttributes: [attr_t]
    private var rolePairs: [Int32]
    /// Per role: whether a space in it looks like an erased cell (the terminal's own background,
    /// neither reverse nor underline), so a full repaint need not put it.
    private var roleBlankLooksErased: [Bool]
    let colorDepth: ColorDepth
    let isUTF8: Bool
    private var isOpen = true

    /// Takes the terminal: alternate screen, no echo, keys one at a time, hidden cursor.
    /// - Parameters:
    ///   - colorEnabled: false for `NO_COLOR` / `--no-color` (attributes only).
    ///   - device: the terminal's device (tests give a pseudo-terminal's).
    ///   - type: the terminal's terminfo name; nil takes `TERM`.
    init(colorEnabled: Bool, device: String = "/dev/tty", type: String? = nil) throws(TerminalError) {
        setlocale(LC_ALL, "")
        guard let file = fopen(device, "r+") else { throw .noTerminal }
        guard let created = newterm(type, file, file) else {
            fclose(file)
            throw .cannotInitialise("newterm failed (is TERM set to a known terminal?)")
        }
        ttyFile = file
        screen = created
        set_term(created)
        vw_install_crash_handlers()
        isUTF8 = vw_locale_is_utf8() != 0
        cbreak()
        noecho()
        nonl()
        keypad(vw_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        wtimeout(vw_stdscr(), 50)
        if colorEnabled && has_colors() {
            start_color()
            use_default_colors()
            colorDepth = ColorDepth(colorCount: Int(vw_colors()))
        } else {
            colorDepth = .none
        }
        roleAttributes = Array(repeating: vw_a_normal(), count: StyleRole.allCases.count)
        rolePairs = Array(repeating: 0, count: StyleRole.allCases.count)
        roleBlankLooksErased = Array(repeating: true, count: StyleRole.allCases.count)
    }

    deinit { close() }

    /// Gives the terminal back as it was. Safe to call twice.
    func close() {
        guard isOpen else { return }
        isOpen = false
        endwin()
        vw_remove_crash_handlers()
        delscreen(screen)
        fclose(ttyFile)
    }

    var size: ScreenSize {
        var rows: Int32 = 0
        var columns: Int32 = 0
        vw_getmaxyx(vw_stdscr(), &rows, &columns)
        return ScreenSize(width: Int(columns), height: Int(rows))
    }

    /// Maps every role of `theme` to attributes and a colour pair at this terminal's depth;
    /// the next `draw` repaints every cell.
    func apply(_ theme: Theme) {
        var pairs: [[Int]: Int32] = [:]
        let pairLimit = Int32(max(vw_color_pairs(), 1))
        for role in StyleRole.allCases {
            let style = colorDepth == .none ? Theme.attributeOnly.style(for: role) : theme.style(for: role)
            var attributes = vw_a_normal()
            if style.attributes.contains(.bold) { attributes |= vw_a_bold() }
            if style.attributes.contains(.dim) { attributes |= vw_a_dim() }
            if style.attributes.contains(.reverse) { attributes |= vw_a_reverse() }
            if style.attributes.contains(.underline) { attributes |= vw_a_underline() }
            if style.attributes.contains(.italic) { attributes |= vw_a_italic() }
            roleAttributes[Int(role.rawValue)] = attributes
            let showsOnASpace = style.attributes.contains(.reverse) || style.attributes.contains(.underline)
            roleBlankLooksErased[Int(role.rawValue)] = !showsOnASpace
                && (colorDepth == .none || colorDepth.colorNumber(for: style.background) == -1)
            guard colorDepth != .none else { continue }
            let key = [colorDepth.colorNumber(for: style.foreground), colorDepth.colorNumber(for: style.background)]
            if key == [-1, -1] {
                rolePairs[Int(role.rawValue)] = 0
                continue
            }
            if let pair = pairs[key] {
                rolePairs[Int(role.rawValue)] = pair
            } else {
                let pair = Int32(pairs.count + 1)
                guard pair < pairLimit else { continue }
                init_extended_pair(pair, Int32(key[0]), Int32(key[1]))
                pairs[key] = pair
                rolePairs[Int(role.rawValue)] = pair
            }
        }
        previous = nil
    }

    /// Draws `buffer`, writing only the cells that differ from the last frame (all of them
    /// after a resize or a theme change).
    func draw(_ buffer: ScreenBuffer) {
        let window = vw_stdscr()
        if let last = previous, last.width == buffer.width, last.height == buffer.height {
            for y in 0..<buffer.height {
                for x in 0..<buffer.width {
                    let cell = buffer[x, y]
                    if cell != last[x, y] { put(cell, x: x, y: y, window: window) }
                }
            }
        } else {
            // A full repaint (the first frame, a resize, a new theme) starts from the erased
            // window, so a cell `werase` already left as it should be is not put again: on the
            // first 200×60 frame that is most of 12,000 calls into curses.
            werase(window)
            for y in 0..<buffer.height {
                for x in 0..<buffer.width {
                    let cell = buffer[x, y]
                    if !isLeftByErase(cell) { put(cell, x: x, y: y, window: window) }
                }
            }
            clearok(window, true)
        }
        previous = buffer
        wnoutrefresh(window)
        doupdate()
    }

    /// What curses holds for the cell at (x, y) after the last frame: its character, attributes
    /// and colour pair (tests read back what a frame left).
    func shownCell(x: Int, y: Int) -> (character: Unicode.Scalar, attributes: attr_t, pair: Int32)? {
        var character: wchar_t = 0
        var attributes: attr_t = 0
        var pair: Int32 = 0
        guard vw_cell_at(vw_stdscr(), Int32(y), Int32(x), &character, &attributes, &pair) == OK,
              let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
        return (scalar, attributes & ~vw_a_color(), pair)
    }

    /// Whether the erased window already shows this cell: a space whose role draws nothing on
    /// a space but the terminal's own background.
    private func isLeftByErase(_ cell: Cell) -> Bool {
        cell.character == " " && cell.width == 1 && roleBlankLooksErased[Int(cell.role.rawValue)]
    }

    private func put(_ cell: Cell, x: Int, y: Int, window: UnsafeMutablePointer<WINDOW>?) {
        guard cell.width > 0 else { return }
        var character = cell.character
        if !isUTF8 && character.value > 0x7E { character = Self.asciiStandIn(for: character) }
        let role = Int(cell.role.rawValue)
        _ = vw_put_wide(window, Int32(y), Int32(x), wchar_t(character.value), roleAttributes[role], rolePairs[role])
    }

    /// The next key or resize, waiting at most `timeoutMilliseconds` (0: only what is pending).
    func read(timeoutMilliseconds: Int32) -> TerminalInput? {
        let window = vw_stdscr()
        wtimeout(window, timeoutMilliseconds)
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if result == ERR { return nil }
        if result == vw_key_code_yes() {
            let code = Int32(character)
            switch code {
            case vw_key_resize(): return .resize
            case vw_key_up(): return .key(.up)
            case vw_key_down(): return .key(.down)
            case vw_key_left(): return .key(.left)
            case vw_key_right(): return .key(.right)
            case vw_key_ppage(): return .key(.pageUp)
            case vw_key_npage(): return .key(.pageDown)
            case vw_key_home(): return .key(.home)
            case vw_key_end(): return .key(.end)
            case vw_key_btab(): return .key(.backTab)
            case vw_key_enter(): return .key(.enter)
            case vw_key_backspace(): return .key(.backspace)
            case (vw_key_f0() + 1)...(vw_key_f0() + 12): return .key(.function(Int(code - vw_key_f0())))
            default: return nil
            }
        }
        switch character {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 1...26:
            // Ctrl-letters the user bound in [keys] (Tab, Enter and Backspace are handled above).
            guard let letter = Unicode.Scalar(UInt32(character) + 0x60) else { return nil }
            return .key(.control(Character(letter)))
        default:
            guard character >= 32, let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    func bell() { beep() }

    /// What a non-UTF-8 terminal draws for the few non-ASCII characters the views use in text.
    static func asciiStandIn(for character: Unicode.Scalar) -> Unicode.Scalar {
        switch character {
        case "…": "~"
        case "│": "|"
        case "─": "-"
        case "×": "x"
        case "▲", "↑": "^"
        case "↓": "v"
        case "•", "·": "*"
        case "▶": ">"
        case "▏": "|"
        default: "?"
        }
    }
}
