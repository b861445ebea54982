import Testing
@testable import VaultWatchCore

/// `MemberPredictor` keeps two members per position: the one matched last is checked first, and
/// a new key replaces the other one. A member whose value misses `missLimit` times since it was
/// last given whole rests (learns no value) for `restPeriod` records. Whether a prediction is right is checked by
/// `DecoderPredictionTests` (a warm decoder against a fresh one); these check which are made.
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

    /// A text that ends right after a key's closing quote (a chunk cut there) does not teach the
    /// key: remembered without its colon, it would match every later record's key and never be
    /// learned again with it.
    @Test
    func aKeyCutAtTheEndOfItsTextIsNotRemembered() {
        var predictor = MemberPredictor<Int>()
        let cut = Array(#""operationName""#.utf8)
        let guess = cut.withUnsafeBytes { predictor.learnKey(.record, ordinal: 0, $0, start: 1, end: cut.count - 1, field: nil) }
        #expect(!guess.isHit)
        let whole = #""operationName":"SecretGet","#
        #expect(!Self.guess(predictor, whole).isHit, "a key remembered without its colon")
        Self.learn(&predictor, whole)
        #expect(Self.guess(predictor, whole).isHit && Self.guess(predictor, whole).endsWithColon)
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

    /// Reads one record of a single member `"key":value,` as the decoder does (the guess at its
    /// key; on a miss the key is learned, and the value when it was not given whole, which clears
    /// the member's misses) and returns whether the value was given whole.
    private static func read(_ value: String, with predictor: inout MemberPredictor<Int>) -> Bool {
        let member = Array((#""key":"# + value + ",").utf8)
        return member.withUnsafeBytes { bytes -> Bool in
            predictor.beginRecord()
            var guess = predictor.guess(.record, ordinal: 0, bytes, at: 1)
            if !guess.isHit { guess = predictor.learnKey(.record, ordinal: 0, bytes, start: 1, end: 4, field: nil) }
            if guess.isWholeMember {
                predictor.noteHit(guess)
                return true
            }
            predictor.learnValue(guess, bytes, start: 6, end: bytes.count - 1, framedAsLine: true, decoded: 0)
            return false
        }
    }

    /// `count` values, each different from the one before.
    private static func changingValues(_ count: Int) -> [String] {
        (0..<count).map { "\"2026-04-15T10:00:00.\($0)Z\"" }
    }

    /// After `missLimit` records whose value differs from the one before, the member rests: the
    /// next record, repeating the last value, is not given it whole (it was, before resting).
    @Test
    func aValueThatChangesInEveryRecordIsNoLongerRemembered() {
        var predictor = MemberPredictor<Int>()
        let limit = Int(MemberPredictor<Int>.missLimit)
        let values = Self.changingValues(limit + 1)
        for value in values { #expect(!Self.read(value, with: &predictor)) }
        #expect(!Self.read(values[limit], with: &predictor), "the last value was still remembered")
        var rested = MemberPredictor<Int>()
        for value in values.prefix(limit) { _ = Self.read(value, with: &rested) }
        #expect(Self.read(values[limit - 1], with: &rested), "one miss short of the limit, the value is remembered")
    }

    /// A resting member learns a value again after `restPeriod` records, and then gives a value
    /// that repeats in every record whole, and keeps giving it.
    @Test
    func aValueThatStartsRepeatingIsGivenWholeAgain() {
        var predictor = MemberPredictor<Int>()
        for value in Self.changingValues(Int(MemberPredictor<Int>.missLimit) + 1) { _ = Self.read(value, with: &predictor) }
        let repeated = #""SecretGet""#
        var firstWhole: Int?
        for record in 0...Int(MemberPredictor<Int>.restPeriod) + 1 where Self.read(repeated, with: &predictor) {
            firstWhole = firstWhole ?? record
        }
        #expect(firstWhole == Int(MemberPredictor<Int>.restPeriod), "rests for restPeriod records, then learns")
        for _ in 0..<100 { #expect(Self.read(repeated, with: &predictor)) }
    }

    /// Misses each followed by the value given whole (each value read twice: a miss, then a
    /// whole member) never make the member rest: a value given whole counts its misses from 0.
    @Test
    func valuesThatRepeatOnceEachAreStillRemembered() {
        var predictor = MemberPredictor<Int>()
        for value in Self.changingValues(3 * Int(MemberPredictor<Int>.missLimit)) {
            #expect(!Self.read(value, with: &predictor))
            #expect(Self.read(value, with: &predictor), "\(value)")
        }
    }

    /// Misses count since the value was last given whole, whatever records came between: a
    /// member read only in some records (the claims of an identity object, read only when the
    /// identity was not given whole) whose values never repeat rests too.
    @Test
    func missesCountAcrossRecordsThatDoNotReadTheMember() {
        let limit = Int(MemberPredictor<Int>.missLimit)
        var skipping = MemberPredictor<Int>()
        let values = Self.changingValues(limit + 1)
        for value in values {
            #expect(!Self.read(value, with: &skipping))
            skipping.beginRecord()
        }
        #expect(!Self.read(values.last!, with: &skipping), "the member does not rest when records come between its misses")
        var short = MemberPredictor<Int>()
        for value in values.prefix(limit) {
            _ = Self.read(value, with: &short)
            short.beginRecord()
        }
        #expect(Self.read(values[limit - 1], with: &short), "one miss short of the limit, the value is remembered")
    }
}
