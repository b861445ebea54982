import Testing
@testable import VaultWatchCore

/// What `MemberPredictor` remembers of a position whose value changes at every record (a time, a
/// correlation id): after a run of misses it samples the value instead of learning each one, and
/// predicts again soon once the value settles (a caller's run of reads after a burst of others).
@Suite("Member predictor")
struct MemberPredictorTests {
    /// One record's member at position 0 of a record object: `"k":"VALUE",`, as the decoder meets
    /// it: the key guessed after its opening quote; when the whole member is not the remembered
    /// one, the key learned if it is new and the value learned. Returns whether the whole member
    /// was predicted.
    static func read(_ value: String, with members: inout MemberPredictor<Int>) -> Bool {
        let text = Array("{\"k\":\"\(value)\",\"next\":1}".utf8)
        return text.withUnsafeBytes { bytes in
            members.beginRecord()
            var guess = members.guess(.record, ordinal: 0, bytes, at: 2)
            if guess.isWholeMember { return true }
            if !guess.isHit { guess = members.learnKey(.record, ordinal: 0, bytes, start: 2, end: 3, field: nil) }
            let start = 5
            let end = start + value.utf8.count + 2  // the value's quotes; `end` is the comma
            members.learnValue(guess, bytes, start: start, end: end, decoded: 1)
            return false
        }
    }

    /// A value that settles after a long run of changes is predicted again within the sampling
    /// period; until it settles, nothing is predicted (every value is new).
    @Test func aValueThatSettlesAfterARunOfChangesIsPredictedAgain() {
        var members = MemberPredictor<Int>()
        for record in 0..<200 { #expect(!Self.read("2024-05-01T10:00:\(record)", with: &members)) }
        let settled = (0..<40).map { _ in Self.read("steady", with: &members) }
        let firstPredicted = settled.firstIndex(of: true)
        #expect(firstPredicted != nil && firstPredicted! <= Int(MemberPredictor<Int>.changingRelearnPeriod))
        if let firstPredicted { #expect(settled[firstPredicted...].allSatisfy { $0 }, "once predicted, every record after") }
    }

    /// A value that alternates with another is predicted half the time however long it goes on:
    /// a record where the position is predicted ends the run of misses, so it is never sampled.
    @Test func aValueThatComesBackEveryOtherRecordKeepsBeingLearned() {
        var members = MemberPredictor<Int>()
        var predicted = 0
        for record in 0..<400 {
            if Self.read(record % 4 < 2 ? "a" : "b", with: &members) { predicted += 1 }
        }
        // a a b b a a b b …: the second of each pair is predicted.
        #expect(predicted >= 195)
    }
}
