import Testing
@testable import VaultWatchCore

/// `BurstDays` holds a pair's active days in about two bytes each instead of four (DESIGN §7's
/// budget run keeps some 200,000 pairs of ~25 days). These check it is the `[UInt32]` it
/// replaced, through every change a `BurstHistory` makes (appending the day closed, dropping
/// the days the window and the memory forget, an earlier day's late hour), on lists of any
/// stamps and peaks (a restored state need not be in order), and that it is as small as it says.
@Suite("Burst days")
struct BurstDaysTests {
    @Test("5,000 random lists changed at random are the [UInt32] they model, step by step")
    func matchesTheArrayModel() {
        var random = SeededRandom(seed: 31)
        for round in 0..<5_000 {
            var model: [UInt32] = []
            // Some lists as a state restores them (any stamps and peaks, in any order).
            if random.below(5) == 0 {
                model = (0..<random.below(40)).map { _ in UInt32(truncatingIfNeeded: random.next()) }
            }
            var days = BurstDays(model)
            var stamp = UInt16(random.below(65_000))
            for step in 0..<(1 + random.below(60)) {
                switch random.below(10) {
                case 0...4:
                    // The day closed: usually the next one, now and then after a long quiet spell
                    // or from a restored list's arbitrary stamps (stamps wrap as UInt16s do).
                    stamp &+= UInt16([1, 1, 2, 3, 40, 300, 40_000][random.below(7)])
                    let peak = UInt16([1, 7, 127, 128, 300, 16_383, 16_384, 65_535][random.below(8)])
                    let day = UInt32(stamp) << 16 | UInt32(peak)
                    model.append(day)
                    days.append(day)
                case 5...7:
                    let dropped = random.below(model.count + 2)
                    model.removeFirst(min(dropped, model.count))
                    days.removeFirst(dropped)
                default:
                    // An earlier day's late hour: the day's peak raised, or a day inserted in order.
                    let earlier = model.isEmpty ? stamp : UInt16(model[random.below(model.count)] >> 16) &+ UInt16(random.below(3))
                    let peak = UInt16(1 + random.below(1_000))
                    let position = model.firstIndex { $0 >> 16 >= UInt32(earlier) } ?? model.endIndex
                    if position < model.endIndex, model[position] >> 16 == UInt32(earlier) {
                        model[position] = UInt32(earlier) << 16 | max(model[position] & 0xFFFF, UInt32(peak))
                    } else {
                        model.insert(UInt32(earlier) << 16 | UInt32(peak), at: position)
                    }
                    days.raise(stamp: earlier, peak: peak)
                }
                #expect(days.array == model, "round \(round), step \(step)")
                #expect(Array(days) == model, "round \(round), step \(step): iterated")
                #expect(days.count == model.count, "round \(round), step \(step): count")
                #expect(days.isEmpty == model.isEmpty)
                // One encoding per list: equal days, equal bytes.
                #expect(days == BurstDays(model), "round \(round), step \(step): the same as written afresh")
                let limit = Int(random.below(65_536))
                #expect(days.leadingCount(through: limit) == model.prefix { Int($0 >> 16) <= limit }.count)
            }
        }
    }

    @Test("a month of daily bursts takes two bytes a day, the first four")
    func twoBytesADay() {
        var days = BurstDays()
        for day in 0..<30 { days.append(UInt32(20_500 + day) << 16 | UInt32(1 + day % 100)) }
        // The first day's stamp against day 0 (three bytes) and its peak; then a day and a peak of a byte each.
        #expect(days.byteCount == 4 + 29 * 2, "\(days.byteCount) bytes for 30 days")
        days.removeFirst(5)
        #expect(days.byteCount == 4 + 24 * 2, "\(days.byteCount) bytes for 25 days")
        // A busy service's busiest hours (hundreds of calls) take a byte more, never the four of a UInt32.
        var busy = BurstDays()
        for day in 0..<30 { busy.append(UInt32(20_500 + day) << 16 | UInt32(900 + day)) }
        #expect(busy.byteCount == 5 + 29 * 3, "\(busy.byteCount) bytes for 30 busy days")
    }
}
