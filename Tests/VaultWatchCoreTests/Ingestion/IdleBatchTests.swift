import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// A consumer that saves after batches, at most so often (the state store), must get a chance
/// to save when the input goes quiet: otherwise the last records before a pause stay unsaved
/// until the next record, which may come hours later (and a `kill -9` in between redoes them).
@Suite("Ingestor: idle batches while the input is quiet")
struct IdleBatchTests {
    static func record(_ index: Int) -> String {
        var record = RecordBuilder(objectName: "s\(index)")
        record.time = String(format: "2024-05-01T10:%02d:00.0000000Z", index % 60)
        return record.jsonLine()
    }

    // The limit guards against a hang (an iterator that never yields again), not a speed: the
    // test takes milliseconds alone, but a full suite at load 18 on two cores (other engineers'
    // builds beside it) once kept it waiting for the pool past two minutes.
    @Test("empty batches come while a batch's positions are not asked for, and stop once they are", .timeLimit(.minutes(10)))
    func idleUntilAcknowledged() async throws {
        let files = try TestFiles()
        defer { files.cleanUp() }
        try files.write((0..<5).map(Self.record).joined(), to: "live.log")
        let ingestor = try Ingestor(
            paths: [files.path("live.log")], symbols: SymbolTable(),
            configuration: .init(pollInterval: .milliseconds(10), batchSize: 100))
        let run = Task { await ingestor.run(mode: .follow) }
        var iterator = ingestor.batches.makeAsyncIterator()
        var taken = 0
        var events = 0
        while events < 5, let batch = await iterator.next() {
            taken += 1
            events += batch.events.count
        }
        // Nobody asked for the checkpoints yet: the quiet input sends empty batches.
        let idle = try #require(await iterator.next())
        taken += 1
        #expect(idle.events.isEmpty && idle.problems.isEmpty)
        #expect(ingestor.checkpoints(throughBatch: taken).first?.offset == Int64((0..<5).map(Self.record).joined().utf8.count))

        // Asked: at most the one already on its way, then the next batch is the next record.
        try files.append(Self.record(5), to: "live.log")
        var emptyAfterAsking = 0
        while let batch = await iterator.next() {
            if batch.events.isEmpty { emptyAfterAsking += 1 } else { break }
        }
        #expect(emptyAfterAsking <= 1)
        run.cancel()
        while await iterator.next() != nil {}
        await run.value
    }

    /// A run without a state file never asks where to resume (`keepsPositions` false): no
    /// position is kept (a tree followed for months kept one per blob it read, until the end,
    /// since nobody took them) and no empty batch is sent for it while the input is quiet.
    @Test("a consumer that asks for no positions gets none kept and no empty batch", .timeLimit(.minutes(10)))
    func nothingKeptForAConsumerThatNeverAsks() async throws {
        let files = try TestFiles()
        defer { files.cleanUp() }
        try files.write((0..<5).map(Self.record).joined(), to: "live.log")
        var configuration = Ingestor.Configuration(pollInterval: .milliseconds(10), batchSize: 100)
        configuration.keepsPositions = false
        let ingestor = try Ingestor(paths: [files.path("live.log")], symbols: SymbolTable(), configuration: configuration)
        let run = Task { await ingestor.run(mode: .follow) }
        var iterator = ingestor.batches.makeAsyncIterator()
        var events = 0
        while events < 5, let batch = await iterator.next() { events += batch.events.count }
        // Quiet for 20 poll rounds, then one more record: the next batch is that record's.
        try await Task.sleep(for: .milliseconds(200))
        try files.append(Self.record(5), to: "live.log")
        let next = try #require(await iterator.next())
        #expect(next.events.count == 1)
        #expect(ingestor.checkpoints(throughBatch: .max).isEmpty)
        run.cancel()
        while await iterator.next() != nil {}
        await run.value
    }
}
