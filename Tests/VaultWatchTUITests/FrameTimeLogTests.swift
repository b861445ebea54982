import Foundation
import Testing
@testable import VaultWatchTUI

/// The soak test's frame-time opt-in: off unless asked for, one line per frame when on.
struct FrameTimeLogTests {
    @Test func offUnlessTheVariableNamesAFile() {
        #expect(FrameTimeLog(environment: [:]) == nil)
        #expect(FrameTimeLog(environment: [FrameTimeLog.environmentVariable: ""]) == nil)
    }

    @Test func appendsOneLinePerFrame() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("frames-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let log = try #require(FrameTimeLog(environment: [FrameTimeLog.environmentVariable: path]))
            log.record(start: 12.5, rendered: 12.5001, end: 12.5004)
            log.record(start: 12.6, rendered: 12.6025, end: 12.6125)
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "12500 400 100\n12600 12500 2500\n")
    }
}
