import Testing
@testable import VaultWatchCore

/// `MemberPredictor` keeps two members per position: the one matched last is checked first, and
/// a new key replaces the other one.
struct MemberPredictorTests {
    /// Guesses the key of `member` (`"key":value,`) at position 0 of a record.
    private static func guess(_ predictor: MemberPredictor<Int>, _ member: String) -> MemberPredictor<Int>.Guess {
        Array(member.utf8).withUnsafeBytes { predictor.guess(.record, ordinal: 0, $0, at: 1) }
    }

    /// Learns the key of `member` at position 0 of a record, as the decoder does after a miss.
    private static func learn(_ predictor: inout MemberPredictor<Int>, _ member: String) {
        let bytes = Array(member.utf8)
        let end = bytes[1...].firstIndex(of: 0x22)!
        bytes.withUnsafeBytes { _ = predictor.learnKey(.record, ordinal: 0, $0, start: 1, end: end, field: nil) }
    }

    /// A record of another shape (`resultDescription` where `correlationId` goes) is learned
    /// beside the usual key; the usual key, matched again, is checked first from then on, and the
    /// next other key replaces the rare one, not it.
    @Test
    func theKeyMatchedLastIsCheckedFirstAndKept() {
        var predictor = MemberPredictor<Int>()
        let usual = #""correlationId":"a","#
        let rare = #""resultDescription":"b","#
        let other = #""durationMs":"12","#
        Self.learn(&predictor, usual)
        #expect(Self.guess(predictor, usual).isHit && !Self.guess(predictor, usual).isOtherWay)
        #expect(!Self.guess(predictor, rare).isHit)
        Self.learn(&predictor, rare)
        let again = Self.guess(predictor, usual)
        #expect(again.isHit && again.isOtherWay)
        predictor.prefer(again)
        #expect(Self.guess(predictor, usual).isHit && !Self.guess(predictor, usual).isOtherWay)
        #expect(Self.guess(predictor, rare).isHit && Self.guess(predictor, rare).isOtherWay)
        #expect(!Self.guess(predictor, other).isHit)
        Self.learn(&predictor, other)
        #expect(Self.guess(predictor, usual).isHit, "the key matched last was forgotten")
        #expect(!Self.guess(predictor, rare).isHit)
        #expect(Self.guess(predictor, other).isHit && !Self.guess(predictor, other).isOtherWay)
    }
}
