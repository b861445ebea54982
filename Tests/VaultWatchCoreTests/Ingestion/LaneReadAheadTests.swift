import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

extension IngestionTests {
    /// `LaneReadAhead`: a job polls and decodes a file's chunks one after another by itself while
    /// the merge takes them, each poll with its own checkpoints, and what it decodes is what one
    /// reader fed the whole file decodes.
    @Suite("LaneReadAhead")
    struct LaneReadAheadTests {
        static let chunkSize = 4096

        /// About 40 KiB of JSON lines (ten chunks and a short one), lines across chunk ends.
        static func text() -> String {
            (0..<70).map { index in
                RecordBuilder(
                    time: "2024-05-01T10:\(String(format: "%02d", index % 60)):00.0000000Z", vault: "kv-\(index % 3)",
                    principalID: "p-\(index % 7)", objectName: "secret-\(index)"
                ).json() + "\n"
            }.joined()
        }

        /// The lane's first poll (the file opened and its first chunk), decoded as the lane does.
        static func opened(_ path: String, symbols: SymbolTable) -> (FileFollower, SourceReader, EventBatch) {
            let follower = FileFollower(path: path, chunkSize: chunkSize)
            var reader = SourceReader(sourceName: path, symbols: symbols, notesBoundaries: true)
            var batch = EventBatch()
            for change in follower.poll() {
                if case .data(let bytes) = change { bytes.withUnsafeBytes { reader.consume($0, into: &batch) } }
            }
            _ = reader.takeBoundaries()
            return (follower, reader, batch)
        }

        @Test func aJobGoesOnToTheNextChunksByItselfAndDecodesWhatOneReaderDecodes() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let text = Self.text()
            try files.write(text, to: "a.log")
            let symbols = SymbolTable()
            var (follower, reader, batch) = Self.opened(files.path("a.log"), symbols: symbols)
            var jobs = 0
            var decodedPolls = 0
            var ended = false
            var offsets: [Int64] = []
            var decodedBytes = 0
            while !ended {
                let job = LaneReadAhead(follower: follower, reader: reader)
                jobs += 1
                var taken = await job.next()
                var polls = taken.polls
                while !taken.isOver {
                    taken = await job.next()
                    polls += taken.polls
                }
                reader = try #require(taken.reader)
                for poll in polls {
                    if let decoded = poll.decoded {
                        decodedPolls += 1
                        batch.append(contentsOf: decoded.batch)
                        // Each poll's own checkpoint: where the follower stood after that poll.
                        offsets.append(try #require(poll.after?.offset))
                        #expect(poll.before?.offset == poll.after.map { $0.offset - Int64(decoded.byteCount) })
                        decodedBytes += decoded.byteCount
                        // Its bytes let go once decoded (not kept while polls wait to be taken).
                        guard case .data(let bytes) = poll.changes.first, poll.changes.count == 1 else {
                            Issue.record("a decoded poll without its data change: \(poll.changes)")
                            continue
                        }
                        #expect(bytes.count == 0)
                    } else if poll.changes.isEmpty {
                        ended = true
                    } else {
                        Issue.record("a poll found something else: \(poll.changes)")
                        ended = true
                    }
                }
            }
            // The job went on after a whole chunk: fewer jobs than chunks it decoded.
            #expect(decodedPolls == text.utf8.count / Self.chunkSize)
            #expect(jobs < decodedPolls)
            #expect(offsets == offsets.sorted() && Set(offsets).count == offsets.count)
            #expect(offsets.last == Int64(text.utf8.count))
            #expect(decodedBytes == text.utf8.count - Self.chunkSize)
            var whole = SourceReader(sourceName: files.path("a.log"), symbols: symbols, notesBoundaries: true)
            var expected = EventBatch()
            Array(text.utf8).withUnsafeBytes { whole.consume($0, into: &expected) }
            #expect(batch.events.count == 70)
            #expect(batch.events == expected.events)
            #expect(batch.problems == expected.problems)
            #expect(reader.nextOffset == Int64(text.utf8.count))
        }

        @Test func aJobStopsWhenPollsWaitUntakenAndGivesTheReaderBack() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(Self.text(), to: "a.log")
            let (follower, reader, _) = Self.opened(files.path("a.log"), symbols: SymbolTable())
            let job = LaneReadAhead(follower: follower, reader: reader)
            #expect(await eventually { job.isOver })
            let taken = await job.next()
            // Memory stays bounded while the merge is behind: a few chunks, not the rest of the file.
            #expect(taken.polls.count == LaneReadAhead.pollsAhead)
            #expect(taken.polls.allSatisfy { $0.decoded != nil })
            #expect(taken.isOver)
            #expect(taken.reader?.nextOffset == Int64((1 + LaneReadAhead.pollsAhead) * Self.chunkSize))
            #expect(follower.readOffset == Int64((1 + LaneReadAhead.pollsAhead) * Self.chunkSize))
        }

        @Test func finishStopsTheJobAfterItsChunk() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(Self.text(), to: "a.log")
            let (follower, reader, _) = Self.opened(files.path("a.log"), symbols: SymbolTable())
            let job = LaneReadAhead(follower: follower, reader: reader)
            let first = await job.next()
            let rest = await job.finish()
            #expect(rest.isOver)
            let polls = first.polls + rest.polls
            #expect(!polls.isEmpty && polls.count <= LaneReadAhead.pollsAhead)
            // The reader back, where the polls taken end: nothing read and left untaken.
            let givenBack = first.isOver ? first.reader : rest.reader
            #expect(givenBack != nil)
            #expect(givenBack?.nextOffset == polls.last?.after?.offset)
            #expect(follower.readOffset == polls.last?.after?.offset)
        }
    }
}
