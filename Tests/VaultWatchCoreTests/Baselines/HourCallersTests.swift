import Testing
@testable import VaultWatchCore

/// `HourCallers` keeps a vault-hour's callers as a list in principal order (`ClosedHours` keeps
/// 48 hours of every vault's, so a dictionary each was most of their memory); these check that it
/// answers as a dictionary by principal would, whatever order the callers were added in and
/// whatever late calls came after.
@Suite("Hour callers")
struct HourCallersTests {
    @Test("look-ups, late calls and the explained count match a dictionary of the callers, 2,000 random hours")
    func matchesADictionary() {
        var random = SeededRandom(seed: 11)
        var lookedUp = 0
        for round in 0..<2_000 {
            var callers = HourCallers()
            var model: [Symbol: HourCallers.Caller] = [:]
            var explained = 0
            // A closing hour adds each principal once, in the order of the open hours' table.
            let principals = (0..<random.below(40)).map { _ in Symbol(rawValue: UInt32(1 + random.below(300))) }
            var added: Set<Symbol> = []
            for principal in principals where added.insert(principal).inserted {
                let caller = HourCallers.Caller(
                    count: 1 + random.below(50), habit: random.below(60), threshold: 5 + random.below(40), usualBurst: random.below(20))
                callers.add(principal, caller)
                model[principal] = caller
                explained += min(caller.count, caller.habit)
            }
            // Kept (sorted) most of the time; a closing hour's own look-ups come before.
            if random.below(4) != 0 { callers.sort() }
            // Late records: by callers of the hour and by newcomers to it.
            for _ in 0..<random.below(30) {
                let principal = Symbol(rawValue: UInt32(1 + random.below(320)))
                let newCaller = HourCallers.Caller(count: 0, habit: random.below(10), threshold: 3, usualBurst: 1)
                var expected = model[principal] ?? newCaller
                if expected.count < expected.habit { explained += 1 }
                expected.count += 1
                model[principal] = expected
                let now = callers.addCall(by: principal, object: .none, newCaller: newCaller, newReplicas: nil)
                #expect(now == expected, "round \(round): a late call by \(principal.rawValue)")
            }
            #expect(callers.count == model.count, "round \(round)")
            #expect(callers.explained == explained, "round \(round)")
            for raw in 0..<UInt32(330) {
                let principal = Symbol(rawValue: raw)
                #expect(callers[principal] == model[principal], "round \(round): principal \(raw)")
                if model[principal] != nil { lookedUp += 1 }
            }
            if callers.isSorted {
                #expect(callers.entries.map(\.principal) == model.keys.sorted(), "round \(round): in principal order")
            }
        }
        #expect(lookedUp > 20_000, "the hours had callers")
    }
}
