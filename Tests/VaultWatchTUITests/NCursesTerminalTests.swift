import Foundation
import Testing
@testable import VaultWatchTUI
import CNCurses
#if canImport(Glibc)
import Glibc
#endif

/// The ncurses adapter on a pseudo-terminal of 200×60, as the dashboard draws on a real one.
struct NCursesTerminalTests {
    /// A full repaint (the first frame, a resize, a new theme) puts only the cells the erased
    /// window does not already show. The bundled themes give ordinary text a colour of its own
    /// on the terminal's background, and a space in it looks like an erased cell: on the first
    /// 200×60 frame those spaces were most of 12,000 calls into curses (the frame's time:
    /// docs/performance.md). A space whose role shows on it (a bar's background, reverse) is
    /// still drawn.
    @Test func aFullRepaintPutsOnlyWhatTheErasedScreenDoesNotShow() throws {
        #if os(Linux)
        let pseudoTerminal = try PseudoTerminal(width: 200, height: 60)
        defer { pseudoTerminal.close() }
        let terminal = try NCursesTerminal(colorEnabled: true, device: pseudoTerminal.devicePath, type: "xterm-256color")
        defer { terminal.close() }
        #expect(terminal.size == ScreenSize(width: 200, height: 60))
        let text = try #require(ThemeColor(text: "#c0caf5"))
        let bar = try #require(ThemeColor(text: "#1f2335"))
        terminal.apply(Theme(name: "test", styles: [
            .normal: ThemeStyle(foreground: text),
            .headerBar: ThemeStyle(foreground: text, background: bar),
            .selected: ThemeStyle(attributes: .reverse),
            .filter: ThemeStyle(foreground: text, attributes: .underline),
        ]))

        var frame = ScreenBuffer(width: 200, height: 60)
        _ = frame.write(String(repeating: " ", count: 200), x: 0, y: 0, role: .headerBar)
        _ = frame.write(String(repeating: " ", count: 20), x: 0, y: 1, role: .selected)
        _ = frame.write(String(repeating: " ", count: 20), x: 40, y: 1, role: .filter)
        for y in 2..<60 { _ = frame.write("row \(y)", x: 0, y: y) }
        terminal.draw(frame)

        let barCell = try #require(terminal.shownCell(x: 199, y: 0))
        #expect(barCell.character == " " && barCell.pair != 0, "the bar's background is drawn")
        let selectedCell = try #require(terminal.shownCell(x: 19, y: 1))
        #expect(selectedCell.character == " " && selectedCell.attributes & vw_a_reverse() != 0, "a reverse space is drawn")
        let underlinedCell = try #require(terminal.shownCell(x: 59, y: 1))
        #expect(underlinedCell.character == " " && underlinedCell.attributes & vw_a_underline() != 0, "an underlined space is drawn")
        let textCell = try #require(terminal.shownCell(x: 0, y: 2))
        #expect(textCell.character == "r" && textCell.pair != 0, "text is drawn in its colour")
        let emptyCell = try #require(terminal.shownCell(x: 100, y: 30))
        #expect(emptyCell.character == " " && emptyCell.attributes == vw_a_normal(), "an empty cell is a space")
        #expect(emptyCell.pair == 0, "an empty cell was put again rather than left as erased")
        #endif
    }

}

#if os(Linux)
/// A pseudo-terminal whose far end is read (and thrown away) by a thread of its own, so
/// whatever is drawn on it never blocks for want of a reader.
private final class PseudoTerminal: @unchecked Sendable {
    let devicePath: String
    private let master: Int32
    private let drained = DispatchSemaphore(value: 0)

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(width: Int, height: Int) throws {
        // posix_openpt, unlockpt and ptsname by hand (Glibc's module leaves them out, and the
        // ioctls' macros: TIOCSPTLCK is _IOW('T', 0x31, int), TIOCGPTN _IOR('T', 0x30, unsigned)).
        let lockRequest: UInt = 0x4004_5431
        let numberRequest: UInt = 0x8004_5430
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, lockRequest, &unlock) == 0, ioctl(master, numberRequest, &number) == 0 else {
            throw Failure(description: "no pseudo-terminal: errno \(errno)")
        }
        devicePath = "/dev/pts/\(number)"
        var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        guard ioctl(master, UInt(TIOCSWINSZ), &size) == 0 else { throw Failure(description: "TIOCSWINSZ: errno \(errno)") }
        let master = self.master
        let drained = self.drained
        Thread.detachNewThread {
            var bytes = [UInt8](repeating: 0, count: 65_536)
            while bytes.withUnsafeMutableBytes({ read(master, $0.baseAddress, $0.count) }) > 0 {}
            drained.signal()
        }
    }

    /// Closes the far end once the terminal side is closed (its reader then sees the end).
    func close() {
        _ = drained.wait(timeout: .now() + 10)
        Glibc.close(master)
    }
}
#endif
