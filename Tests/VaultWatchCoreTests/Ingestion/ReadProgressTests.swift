import Testing
import VaultWatchCore

/// The text of `detect`'s progress line.
struct ReadProgressTests {
    private func statistics(read: Int64, total: Int64, done: Int = 12, sources: Int = 340) -> Ingestor.Statistics {
        Ingestor.Statistics(batchesSent: 0, eventsSent: 0, bytesRead: read, bytesTotal: total, sourcesDone: done, sourcesTotal: sources)
    }

    @Test func saysSourcesBytesRateElapsedAndTimeLeft() {
        let progress = ReadProgress(statistics: statistics(read: 1_200_000_000, total: 3_600_000_000), events: 3_248_000, elapsed: .seconds(4))
        #expect(progress.line(width: 200) == "reading 12/340 sources · 1.2 GB of 3.6 GB (33%) · 812,000 events/s · 0:04 elapsed · 0:08 left")
    }

    @Test func aStreamHasNoTotalAndNoEstimate() {
        let progress = ReadProgress(statistics: statistics(read: 84_000, total: 0, done: 0, sources: 1), events: 90, elapsed: .seconds(75))
        #expect(progress.line(width: 200) == "reading 0/1 sources · 84.0 kB · 1 events/s · 1:15 elapsed")
    }

    @Test func theLineIsCutToTheTerminalWidth() {
        let progress = ReadProgress(statistics: statistics(read: 1, total: 10), events: 1, elapsed: .seconds(3700))
        let line = progress.line(width: 30)
        #expect(line.count == 30)
        #expect(line.hasSuffix("…"))
        #expect(ReadProgress(statistics: statistics(read: 5, total: 10), events: 0, elapsed: .seconds(3725)).line(width: 200).contains("1:02:05 elapsed"))
    }
}
