import Testing
import VaultWatchCore
@testable import VaultWatchTUI

/// Data that may have been lost while reading is never silent on the dashboard: the header's
/// second row counts the reports and shows the newest, in the warning style.
@Suite struct HeaderDataLossTests {
    @Test func possibleDataLossesShowInTheHeaderWithTheNewestReport() async throws {
        var state = await DashboardFixture.state()
        state.snapshot.dataLossReports = 2
        state.snapshot.latestDataLoss = "audit.log: 850 bytes (about 25 lines) may have been lost (copytruncate)"
        let buffer = render(state: state, size: ScreenSize(width: 160, height: 48))
        let row = buffer.lines[1]
        // Cut with an ellipsis where the alert counts begin.
        #expect(row == " events 5,405  malformed 2  learned 9 d  2 possible data losses: audit.log: 850 bytes (about 25 lines) may have been lost (c… alerts HIGH 0 MED 2 LOW 1 INFO 1")
        let column = try #require(row.firstRange(of: "2 possible")).lowerBound.utf16Offset(in: row)
        #expect(buffer[column, 1].role == .warning)
        #expect(buffer[2, 1].role == .label)
    }

    @Test func withoutLossesTheHeaderSaysNothingOfThem() async {
        let buffer = render(state: await DashboardFixture.state(), size: ScreenSize(width: 160, height: 48))
        #expect(!buffer.lines[1].contains("loss"))
    }
}
