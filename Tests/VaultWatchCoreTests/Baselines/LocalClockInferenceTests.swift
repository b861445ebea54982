import Foundation
import Testing
@testable import VaultWatchCore

/// `LocalClock.inferredOffset` sums each offset's local weekend as one run of UTC hours (it runs
/// once a day for every vault); these check it against the plain reading of the rule: for each
/// offset, every hour of the week mapped to its local day.
@Suite("Local clock inference")
struct LocalClockInferenceTests {
    /// The rule as written, hour by hour: the share of `week` on local Saturdays and Sundays.
    static func referenceShares(_ week: [Double]) -> [Double] {
        let total = week.reduce(0, +)
        return (-12...14).map { offset in
            var weekend = 0.0
            for hour in 0..<168 {
                let local = ((hour + offset) % 168 + 168) % 168
                if local / 24 == 0 || local / 24 == 6 { weekend += week[hour] }
            }
            return weekend / total
        }
    }

    /// The offset the reference shares choose, by the same tie rules.
    static func referenceOffset(_ week: [Double]) -> Int? {
        guard week.reduce(0, +) >= 100 else { return nil }
        let shares = referenceShares(week)
        let best = shares.min() ?? 0
        if best >= 0.15 || shares[12] <= best + 0.005 { return 0 }
        var sine = 0.0
        var cosine = 0.0
        for hour in 0..<168 {
            let angle = Double(hour % 24) / 24 * 2 * Double.pi
            sine += week[hour] * sin(angle)
            cosine += week[hour] * cos(angle)
        }
        let centre = (atan2(sine, cosine) / (2 * Double.pi) * 24 + 24).truncatingRemainder(dividingBy: 24)
        var chosen: Int?
        var nearest = Double.infinity
        for (index, offset) in (-12...14).enumerated() where shares[index] <= best + 0.005 {
            let local = (centre + Double(offset) + 48).truncatingRemainder(dividingBy: 24)
            let distance = min(abs(local - 13), 24 - abs(local - 13))
            if distance < nearest {
                nearest = distance
                chosen = offset
            }
        }
        return chosen
    }

    @Test("the offset read from 300 random working weeks (every UTC offset, noise, weekend work) is the plain rule's")
    func matchesTheRule() {
        var random = SeededRandom(seed: 11)
        var inferredNonZero = 0
        for _ in 0..<300 {
            let offset = random.number(in: -12...14)
            let weekendWork = random.below(4)
            var week = [Double](repeating: 0, count: 168)
            for localDay in 0..<7 {
                let isWeekend = localDay == 0 || localDay == 6
                for localHour in 0..<24 {
                    let busy = localHour >= 8 && localHour < 18
                    var count = Double(random.below(busy ? 40 : 4))
                    if isWeekend { count = weekendWork == 0 ? count : Double(random.below(3)) }
                    let utc = ((localDay * 24 + localHour - offset) % 168 + 168) % 168
                    week[utc] += count
                }
            }
            let inferred = LocalClock.inferredOffset(fromWeek: week)
            #expect(inferred == Self.referenceOffset(week), "offset \(offset), week \(week)")
            if inferred.map({ $0 != 0 }) ?? false { inferredNonZero += 1 }
        }
        // The weeks are not all read as UTC: the comparison covers the search itself.
        #expect(inferredNonZero > 75)
    }
}
