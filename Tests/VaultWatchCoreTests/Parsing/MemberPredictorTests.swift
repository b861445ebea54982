import Testing
@testable import VaultWatchCore

/// What `MemberPredictor` remembers of a member whose value changes: a position whose value
/// misses in `missLimit` records in a row stops remembering values, and tries one again every
/// `probePeriod` records. Whether a prediction is right is checked by `DecoderPredictionTests`
/// (a warm decoder against a fresh one); these check that the predictions that pay are kept.
struct MemberPredictorTests {
    /// Reads one record of a single member `"key":value,` as the decoder does (the guess at its
    /// key; on a miss the key is learned, and the value when it was not given whole) and returns
    /// whether the value was given whole.
    static func read(_ value: String, with predictor: inout MemberPredictor<Int>) -> Bool {
        let member = Array((#""key":"# + value + ",").utf8)
        return member.withUnsafeBytes { bytes -> Bool in
            predictor.beginRecord()
            var guess = predictor.guess(.record, ordinal: 0, bytes, at: 1)
            if !guess.isHit { guess = predictor.learnKey(.record, ordinal: 0, bytes, start: 1, end: 4, field: nil) }
            if guess.isWholeMember { return true }
            predictor.learnValue(guess, bytes, start: 6, end: bytes.count - 1, decoded: 0)
            return false
        }
    }

    static var changingValues: [String] { (0..<40).map { "\"2026-04-15T10:00:\($0)\"" } }

    /// After `missLimit` records whose value differs from the one before, the value is no longer
    /// remembered: the next record, repeating the last value, is not given it whole.
    @Test
    func aValueThatChangesInEveryRecordIsNoLongerRemembered() {
        var predictor = MemberPredictor<Int>()
        let limit = Int(MemberPredictor<Int>.missLimit)
        for value in Self.changingValues.prefix(limit + 1) { #expect(!Self.read(value, with: &predictor)) }
        #expect(!Self.read(Self.changingValues[limit], with: &predictor))
    }

    /// A position that stopped remembering remembers a value again within `probePeriod` records,
    /// and then gives a value that repeats whole in every record.
    @Test
    func aValueThatStartsRepeatingIsGivenWholeAgain() {
        var predictor = MemberPredictor<Int>()
        for value in Self.changingValues { _ = Self.read(value, with: &predictor) }
        let repeated = #""SecretGet""#
        var firstWhole: Int?
        for record in 0...Int(MemberPredictor<Int>.probePeriod) + 1 where Self.read(repeated, with: &predictor) {
            firstWhole = firstWhole ?? record
        }
        #expect(firstWhole != nil && firstWhole! <= Int(MemberPredictor<Int>.probePeriod) + 1)
        for _ in 0..<10 { #expect(Self.read(repeated, with: &predictor)) }
    }

    /// Misses that are not in a row (each value read twice: a miss, then a whole member) never
    /// stop the position from remembering: every second record is given whole.
    @Test
    func valuesThatRepeatOnceEachAreStillRemembered() {
        var predictor = MemberPredictor<Int>()
        for value in Self.changingValues {
            #expect(!Self.read(value, with: &predictor))
            #expect(Self.read(value, with: &predictor), "\(value)")
        }
    }
}
