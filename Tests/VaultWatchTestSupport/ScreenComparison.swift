/// Compares a rendered screen (its rows as text) to an expected multi-line string and says
/// where they differ, row by row, so a failing snapshot test reads like a diff.
///
/// Trailing spaces of each row and trailing empty rows are ignored on both sides: an inline
/// expected string need not carry invisible whitespace.
public enum ScreenComparison {
    /// nil when the screens match; otherwise a report of the differing rows.
    public static func difference(actual: [String], expected: String) -> String? {
        let actualRows = normalise(actual)
        let expectedRows = normalise(expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        guard actualRows != expectedRows else { return nil }
        var report = "screen differs (\(actualRows.count) rows rendered, \(expectedRows.count) expected):\n"
        for row in 0..<max(actualRows.count, expectedRows.count) {
            let got = row < actualRows.count ? actualRows[row] : "<missing>"
            let want = row < expectedRows.count ? expectedRows[row] : "<missing>"
            if got != want {
                report += "row \(row) expected: |\(want)|\n"
                report += "row \(row) rendered: |\(got)|\n"
            }
        }
        report += "--- rendered screen ---\n" + actualRows.joined(separator: "\n")
        return report
    }

    static func normalise(_ rows: [String]) -> [String] {
        var result = rows.map { row -> String in
            var text = row
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        while result.last?.isEmpty == true { result.removeLast() }
        return result
    }
}
