import Testing
@testable import VaultWatchCore

extension DetectionTests {
    @Suite("Alert aggregation")
    struct AlertAggregatorTests {
        let fixture = DetectionFixture()

        private func candidate(at time: EventTime, status: UInt16 = 200, principal: String = "9f1c2b7e-0000-4000-8000-000000000001") -> AlertCandidate {
            let event = fixture.event(at: time, principalID: principal, callerIP: DetectionFixture.torAddress, httpStatusCode: status)
            return AlertCandidate(
                kind: .torAccess, severity: status == 403 ? .low : .medium, entity: .caller(of: event), event: event,
                reasons: ["reason at \(time.iso8601)"])
        }

        @Test("three repeats within 24 h give one alert with count 3")
        func foldsWithinWindow() {
            var aggregator = AlertAggregator(symbols: fixture.symbols, language: .en)
            let start = DetectionFixture.start
            let first = aggregator.add(candidate(at: start))
            let second = aggregator.add(candidate(at: start + .hours(5)))
            let third = aggregator.add(candidate(at: start + .hours(23) + .minutes(59)))
            #expect(first.isNew)
            #expect(!second.isNew && !third.isNew)
            #expect(Set([first.alert.id, second.alert.id, third.alert.id]).count == 1)
            #expect(third.alert.count == 3)
            #expect(third.alert.firstSeen == start)
            #expect(third.alert.lastSeen == start + .hours(23) + .minutes(59))
            #expect(third.alert.evidence.count == 3)
            #expect(third.alert.reasons == ["reason at \((start + .hours(23) + .minutes(59)).iso8601)"])
            #expect(aggregator.openAlertCount == 1)
        }

        @Test("a repeat 24 h after the first event opens a new alert with a new id")
        func newAlertAfterWindow() {
            var aggregator = AlertAggregator(symbols: fixture.symbols, language: .en)
            let first = aggregator.add(candidate(at: DetectionFixture.start))
            let later = aggregator.add(candidate(at: DetectionFixture.start + .hours(24)))
            #expect(later.isNew)
            #expect(later.alert.id != first.alert.id)
            #expect(later.alert.count == 1)
        }

        @Test("different entities, kinds or vaults do not fold together")
        func separateKeys() {
            var aggregator = AlertAggregator(symbols: fixture.symbols, language: .en)
            let alice = aggregator.add(candidate(at: DetectionFixture.start))
            let bob = aggregator.add(candidate(at: DetectionFixture.start, principal: "9f1c2b7e-0000-4000-8000-000000000002"))
            #expect(bob.isNew)
            #expect(alice.alert.id != bob.alert.id)
        }

        @Test("a graver repeat raises the alert's severity; a milder one does not lower it")
        func severityEscalates() {
            var aggregator = AlertAggregator(symbols: fixture.symbols, language: .en)
            let denied = aggregator.add(candidate(at: DetectionFixture.start, status: 403))
            #expect(denied.alert.severity == .low)
            let success = aggregator.add(candidate(at: DetectionFixture.start + .minutes(1)))
            #expect(success.alert.severity == .medium)
            #expect(success.previousSeverity == .low)
            let deniedAgain = aggregator.add(candidate(at: DetectionFixture.start + .minutes(2), status: 403))
            #expect(deniedAgain.alert.severity == .medium)
        }

        @Test("evidence stops at the limit while the count goes on")
        func evidenceCap() {
            var aggregator = AlertAggregator(symbols: fixture.symbols, language: .en, evidenceLimit: 10)
            var last: AlertAggregator.Outcome?
            for minute in 0..<25 { last = aggregator.add(candidate(at: DetectionFixture.start + .minutes(Int64(minute)))) }
            #expect(last?.alert.count == 25)
            #expect(last?.alert.evidence.count == 10)
        }

        @Test("expiry forgets ended windows only")
        func expiry() {
            var aggregator = AlertAggregator(symbols: fixture.symbols, language: .en)
            _ = aggregator.add(candidate(at: DetectionFixture.start))
            aggregator.expire(through: DetectionFixture.start + .hours(23))
            #expect(aggregator.openAlertCount == 1)
            aggregator.expire(through: DetectionFixture.start + .hours(24))
            #expect(aggregator.openAlertCount == 0)
        }

        @Test("alert ids are 16 hex digits and depend on every part of the key")
        func alertIDs() {
            let time = DetectionFixture.start
            let base = AlertID.make(kind: .torAccess, vault: "v", entity: "p", firstSeen: time)
            #expect(base.count == 16)
            #expect(base.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            #expect(base == AlertID.make(kind: .torAccess, vault: "v", entity: "p", firstSeen: time))
            #expect(base != AlertID.make(kind: .testAlert, vault: "v", entity: "p", firstSeen: time))
            #expect(base != AlertID.make(kind: .torAccess, vault: "w", entity: "p", firstSeen: time))
            #expect(base != AlertID.make(kind: .torAccess, vault: "v", entity: "q", firstSeen: time))
            #expect(base != AlertID.make(kind: .torAccess, vault: "v", entity: "p", firstSeen: EventTime(ticks: time.ticks + 1)))
            #expect(AlertID.make(kind: .torAccess, vault: "ab", entity: "c", firstSeen: time)
                != AlertID.make(kind: .torAccess, vault: "a", entity: "bc", firstSeen: time))
        }
    }
}
