import Foundation
import VaultWatchCore

/// How many late records `detect`'s stderr reports, read as an analyst reads it: a run's first
/// report (`file:line: time … behind the latest record read …`) counts one, unless it says its
/// record is one already taken (`LateRunRepeats.repeatNote`) or its run's end report follows
/// at the same `file:line:` (`N records (lines a to b) …`), which counts the run. A run resumed
/// from `--state` whose first records were read again has an end report only (the run before
/// reported its start): it counts its `N`.
enum LateReports {
    static func count(_ stderrLines: [String]) -> Int {
        var total = 0
        for (index, line) in stderrLines.enumerated() {
            if let end = endReport(line) {
                total += end.count
            } else if let range = line.range(of: ": time "), line.contains(" behind the latest record read ") {
                let place = String(line[..<range.lowerBound])
                let ended = stderrLines[(index + 1)...].contains { endReport($0)?.place == place }
                if !ended, !line.hasSuffix(LateRunRepeats.repeatNote) { total += 1 }
            }
        }
        return total
    }

    /// The summary's late count (`…; N late; …`), nil without a summary.
    static func summaryLate(_ stderrLines: [String]) -> Int? {
        stderrLines.last.flatMap { line in
            line.range(of: #"; (\d+) late;"#, options: .regularExpression).map { Int(line[$0].filter(\.isNumber)) ?? -1 }
        }
    }

    /// `file:line` and `N` of a run's end report (`file:line: N record[s] (lines a to b) …`).
    private static func endReport(_ line: String) -> (place: String, count: Int)? {
        guard let match = line.range(of: #":[0-9]+: [0-9]+ records? \(lines [0-9]+ to [0-9]+\) "#, options: .regularExpression) else {
            return nil
        }
        let text = line[match].dropFirst()
        let lineNumber = text.prefix { $0.isNumber }
        let count = text.dropFirst(lineNumber.count + 2).prefix { $0.isNumber }
        return (String(line[..<match.lowerBound]) + ":" + lineNumber, Int(count) ?? -1)
    }
}
