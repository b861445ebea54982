import Foundation
import VaultWatchTestSupport

/// A log of secret reads at a steady pace, enough of them that a debug build works on them at
/// full speed for seconds: for the tests that watch vaultwatch's threads while it works.
enum SteadyReadsLog {
    /// Writes `count` reads, one every `secondsApart` seconds from 1 May 2024 (50,000 three
    /// seconds apart: two days, ~35 MB), over 300 secrets and a few hundred addresses.
    static func write(count: Int, secondsApart: Int, to url: URL) throws {
        var text = ""
        for index in 0..<count {
            let second = index * secondsApart
            var record = RecordBuilder(
                time: String(
                    format: "2024-05-%02dT%02d:%02d:%02d.0000000Z", 1 + second / 86_400, second / 3600 % 24, second / 60 % 60, second % 60))
            record.objectName = "secret-\(index % 300)"
            record.callerIPAddress = "10.0.\(index % 7).\(index % 200 + 1)"
            text += record.jsonLine()
        }
        try text.write(to: url, atomically: false, encoding: .utf8)
    }
}
