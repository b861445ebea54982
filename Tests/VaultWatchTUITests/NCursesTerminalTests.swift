import Foundation
import Testing
@testable import VaultWatchTUI
#if canImport(Glibc)
import Glibc
#endif

/// The ncurses adapter on a pseudo-terminal of 200×60, as the dashboard draws on a real one.
struct NCursesTerminalTests {
    /// A frame that changes cells in many places reaches the terminal in one `write` (two when
    /// it outgrows ncurses' buffer), not one per cursor move: each write wakes the terminal,
    /// and on a busy machine (or over ssh, a packet each) hundreds of them stretch the frame.
    @Test func aFrameChangingCellsInManyPlacesIsWrittenAtOnce() throws {
        #if os(Linux)
        let pseudoTerminal = try PseudoTerminal(width: 200, height: 60)
        defer { pseudoTerminal.close() }
        let terminal = try NCursesTerminal(colorEnabled: true, device: pseudoTerminal.devicePath, type: "xterm-256color")
        defer { terminal.close() }
        #expect(terminal.size == ScreenSize(width: 200, height: 60))
        terminal.apply(Theme.attributeOnly)

        var first = ScreenBuffer(width: 200, height: 60)
        for y in 0..<60 { _ = first.write("row \(y)", x: 0, y: y) }
        terminal.draw(first)
        // 120 changes, each far from the last: every one needs a cursor move.
        var second = first
        for y in 0..<60 {
            _ = second.write("a\(y)", x: 40, y: y, role: .severityHigh)
            _ = second.write("b\(y)", x: 150, y: y)
        }
        let writesBefore = try Self.writeCallsOfThisThread()
        terminal.draw(second)
        let writes = try Self.writeCallsOfThisThread() - writesBefore
        #expect(writes >= 1)
        #expect(writes <= 2, "the frame took \(writes) writes")
        #endif
    }

    /// `syscw` of /proc/thread-self/io: how many `write`-family calls this thread has made.
    private static func writeCallsOfThisThread() throws -> Int {
        let text = try String(contentsOfFile: "/proc/thread-self/io", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("syscw:") })
        return try #require(Int(line.dropFirst("syscw:".count).trimmingCharacters(in: .whitespaces)))
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
